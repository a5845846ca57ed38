package io.drover.server.api;

import java.util.List;

/** The body of {@code GET /v1/workers}, sorted by id. */
public record WorkerList(List<WorkerView> workers) {}
