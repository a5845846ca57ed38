package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A live worker as announced in ZooKeeper.
 *
 * @param state ACTIVE or DRAINING
 * @param tasks tasks assigned to it (claimed or not yet)
 * @param items load/drop items it announces served ({@code served/<id>/}); loads in progress are
 *     not counted
 * @param servesItems it has an item handler, so the leader may give it items
 * @param drainRequested an operator asked it to drain and it has not yet shown DRAINING
 * @param rejected why the leader gives it no work (state {@code REJECTED}): its announcement does
 *     not validate or its folder is missing; absent for a worker in good standing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkerView(
        String id,
        String state,
        int capacity,
        int tasks,
        int items,
        List<String> taskTypes,
        boolean servesItems,
        Map<String, String> labels,
        String host,
        String version,
        long startedAtMs,
        boolean drainRequested,
        String rejected) {
    /** A worker node that the leader does not admit (it gives it no work), and why. */
    public static WorkerView rejected(String id, String why) {
        return new WorkerView(
                id, "REJECTED", 0, 0, 0, List.of(), false, Map.of(), "", "", 0, false, why);
    }
}
