package io.drover.coordinator.internal;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.model.WorkerInfo;
import java.util.List;
import java.util.Map;

/**
 * Decides, from the leader's view, which commands bring the served replicas to the desired ones.
 * Pure: no ZooKeeper, so every rule is checked by plain unit tests, and the balancer only writes.
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>an item nobody declares any more is dropped wherever it is served, and its pending loads
 *       revoked;
 *   <li>an item short of replicas is loaded on eligible workers (serving items, ACTIVE, carrying
 *       its labels, not cooling down after a failed load) with the fewest items, items with the
 *       fewest replicas first, at most {@code maxLoadsPerWorker} loads in flight per worker;
 *   <li>only once an item has its desired replicas on valid workers, and no load of it is in
 *       flight, are extra replicas dropped: those on draining or no longer matching workers first,
 *       then those of a balancing move's source, then the most loaded. Loading before dropping
 *       means replication never dips below what it was;
 *   <li>when no item is short, items move from the most to the least loaded worker, at most {@code
 *       maxMovesAtOnce} in flight, until no two workers differ by more than one item (among those
 *       that may hold it).
 * </ol>
 *
 * Each call is one {@link ItemPass}. Not thread-safe: the leader's thread only.
 */
final class ItemPlanner {
    enum Kind {
        LOAD,
        DROP,
        REVOKE
    }

    record Order(Kind kind, String itemId, String workerId) {}

    private final CoordinatorConfig.ItemSettings settings;

    ItemPlanner(CoordinatorConfig.ItemSettings settings) {
        this.settings = settings;
    }

    /**
     * @param workers live workers by id
     * @param moves balancing moves in flight, item to the worker it leaves; cleaned up here
     */
    List<Order> plan(
            ItemState state,
            Map<String, WorkerInfo> workers,
            LoadFailures failures,
            Map<String, String> moves,
            long nowMs) {
        ItemPass pass = new ItemPass(settings, state, workers, failures, moves, nowMs);
        pass.undeclared();
        if (!pass.replicate()) {
            pass.balance();
        }
        return pass.orders;
    }
}
