package io.drover.coordinator.internal;

import io.drover.coordinator.LeaderStats;
import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import java.util.HashMap;
import java.util.Map;

/**
 * Takes the leader's {@link LeaderStats} from what it holds anyway (the pending index keeps counts
 * per type, the view per type and per worker), so that metrics cost the leader no ZooKeeper read
 * and a scrape never waits for the leader's thread. {@link #take()} on the leader's thread; {@link
 * #latest()} from any.
 */
final class StatsTaker {
    private final LeaderContext ctx;
    private final PendingIndex pending;
    private volatile LeaderStats latest;

    StatsTaker(LeaderContext ctx, PendingIndex pending) {
        this.ctx = ctx;
        this.pending = pending;
    }

    /** Leader thread only: a pass over the types and the workers, both few. */
    void take() {
        Map<String, Long> assigned = new HashMap<>();
        ctx.view().assignedByType().forEach((type, n) -> assigned.put(type, (long) n));
        int active = 0;
        int draining = 0;
        for (WorkerInfo w : ctx.view().workers()) {
            if (w.state() == WorkerState.DRAINING) {
                draining++;
            } else if (w.state() == WorkerState.ACTIVE) {
                active++;
            }
        }
        latest =
                new LeaderStats(
                        ctx.term().epoch(),
                        System.currentTimeMillis(),
                        pending.countByType(),
                        assigned,
                        active,
                        draining);
    }

    /** The last stats taken in this term, or null before the first. */
    LeaderStats latest() {
        return latest;
    }
}
