package io.drover.server.api;

import java.util.List;

/**
 * The body of {@code POST /v1/tasks/batch}: up to the server's batch limit (default 1,000) tasks,
 * validated all before any is written.
 */
public record BatchSubmitRequest(List<SubmitRequest> tasks) {}
