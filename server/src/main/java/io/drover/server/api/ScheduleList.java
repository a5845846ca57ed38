package io.drover.server.api;

import java.util.List;

/** The body of {@code GET /v1/schedules}: every schedule, sorted by id. */
public record ScheduleList(List<ScheduleView> schedules) {}
