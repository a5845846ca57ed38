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
 * @param tasks task counts, read from ZooKeeper's child counts and the leader's published counts
 *     (no task is read)
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
     * @param succeeded of the finished ones, those that succeeded, as the leader counted them at
     *     most a second or so ago; absent until the leader has classified every retained task
     *     (shortly after it takes over) and while no leader leads
     * @param failed the same for those that failed
     * @param cancelled the same for those cancelled
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskCounts(
            long pending,
            long assigned,
            long running,
            long finished,
            long total,
            Long succeeded,
            Long failed,
            Long cancelled) {}
}
