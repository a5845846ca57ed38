package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A page of {@code GET /v1/tasks}, newest first (see {@code docs/api.md} for the order). Pass
 * {@code nextPageToken} back as {@code pageToken} for the next page; it is absent on the last page.
 * A page may hold fewer than {@code limit} tasks (even none) and still have a successor: each
 * request reads a bounded number of tasks, so a filter that matches rarely costs several short
 * requests instead of one unbounded one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskPage(List<TaskView> tasks, String nextPageToken) {}
