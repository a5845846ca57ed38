package io.drover.server.api;

/** The body of {@code DELETE /v1/schedules/{id}}: the schedule is gone (its tasks stay). */
public record DeleteScheduleResponse(String id, boolean deleted) {}
