package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of {@code GET /v1/cluster}.
 *
 * @param leader the leading coordinator's id, absent while none leads
 * @param epoch the current leader epoch (the fencing token of leader writes)
 * @param coordinators live coordinators, leader and standbys
 * @param workers live workers
 * @param tasks task counts, read from ZooKeeper's child counts (no task is read)
 * @param items declared load/drop items (a child count; how well each is served is in {@code GET
 *     /v1/items})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterView(
        String cluster,
        String leader,
        long epoch,
        Long leaderSinceMs,
        List<Coordinator> coordinators,
        int workers,
        TaskCounts tasks,
        int items) {
    /** A live coordinator and the API address it announced. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Coordinator(String id, String apiUrl, boolean leader) {}

    /**
     * @param pending waiting for dispatch (including backoff and delayed starts)
     * @param assigned assigned, not yet claimed by the worker
     * @param running claimed and running
     * @param finished terminal (succeeded, failed or cancelled) and still retained
     * @param total every retained task
     */
    public record TaskCounts(
            long pending, long assigned, long running, long finished, long total) {}
}
