package io.drover.coordinator;

import io.drover.model.Names;
import java.time.Duration;

/**
 * Immutable, validated coordinator settings.
 *
 * @param id coordinator id, unique among coordinators
 * @param cluster cluster name: everything lives under {@code /drover/<cluster>}
 * @param strategy worker choice for assignment
 * @param maxOpsPerMulti ops per fenced multi (3 per assigned task); bounds a request well under
 *     {@code jute.maxbuffer}
 * @param reconcileInterval the slow safety-net pass that re-verifies unclaimed or orphaned
 *     assignments against ZooKeeper
 * @param assignmentTimeout an assignment not claimed within this time is revoked and the task
 *     assigned again (checked by the reconciliation pass, so it acts within one interval after it
 *     expires)
 * @param retention terminal tasks older than this are deleted
 * @param maxRetainedTasks at most this many terminal tasks are kept (the oldest go first)
 * @param gcInterval how often retention and the sweep of departed workers' folders run
 * @param departedWorkerGrace the folders of a worker that has been gone this long (by the folders'
 *     own last change) are deleted
 * @param apiUrl the address this coordinator announces for discovery, may be empty
 * @param items how the leader places load/drop items
 * @param graphStagingTimeout a graph still being staged (its submitter writing its tasks) this long
 *     after the leader first saw it is abandoned and its tasks taken back: its submitter died
 */
public record CoordinatorConfig(
        String id,
        String cluster,
        AssignmentStrategy strategy,
        int maxOpsPerMulti,
        Duration reconcileInterval,
        Duration assignmentTimeout,
        Duration retention,
        int maxRetainedTasks,
        Duration gcInterval,
        Duration departedWorkerGrace,
        String apiUrl,
        ItemSettings items,
        Duration graphStagingTimeout) {
    /** The most ended tasks a cluster may retain ({@code maxRetainedTasks}). */
    public static final int MAX_RETAINED_TASKS = 500_000;

    /**
     * How the leader places items.
     *
     * @param maxLoadsPerWorker LOAD commands in flight per worker at once (the load throttle)
     * @param maxMovesAtOnce balancing moves in flight at once; each loads the new replica before it
     *     drops the old
     * @param loadFailureCooldown after a worker gives up loading an item, it gets no load of that
     *     item for this long; a worker that fails three loads in a row gets no load at all for this
     *     long
     */
    public record ItemSettings(
            int maxLoadsPerWorker, int maxMovesAtOnce, Duration loadFailureCooldown) {
        public static final ItemSettings DEFAULTS = new ItemSettings(20, 16, Duration.ofMinutes(5));

        public ItemSettings {
            if (maxLoadsPerWorker < 1 || maxLoadsPerWorker > 1_000) {
                throw new IllegalArgumentException(
                        "maxLoadsPerWorker must be between 1 and 1000, was " + maxLoadsPerWorker);
            }
            if (maxMovesAtOnce < 0 || maxMovesAtOnce > 10_000) {
                throw new IllegalArgumentException(
                        "maxMovesAtOnce must be between 0 (no balancing) and 10000, was "
                                + maxMovesAtOnce);
            }
            if (loadFailureCooldown.isNegative()) {
                throw new IllegalArgumentException(
                        "loadFailureCooldown must not be negative, was " + loadFailureCooldown);
            }
        }
    }

    public CoordinatorConfig {
        Names.checkId("coordinator id", id);
        Names.checkName("cluster", cluster);
        if (strategy == null) {
            throw new IllegalArgumentException("strategy is required");
        }
        if (maxOpsPerMulti < 4 || maxOpsPerMulti > 5_000) {
            throw new IllegalArgumentException(
                    "maxOpsPerMulti must be between 4 and 5000, was " + maxOpsPerMulti);
        }
        if (reconcileInterval.toMillis() < 100) {
            throw new IllegalArgumentException(
                    "reconcileInterval must be at least 100 ms, was " + reconcileInterval);
        }
        if (assignmentTimeout.toMillis() < 100) {
            throw new IllegalArgumentException(
                    "assignmentTimeout must be at least 100 ms, was " + assignmentTimeout);
        }
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative, was " + retention);
        }
        if (maxRetainedTasks < 0 || maxRetainedTasks > MAX_RETAINED_TASKS) {
            throw new IllegalArgumentException(
                    "maxRetainedTasks must be between 0 and "
                            + MAX_RETAINED_TASKS
                            + " (ZooKeeper children per parent stay bounded), was "
                            + maxRetainedTasks);
        }
        if (gcInterval.toMillis() < 100) {
            throw new IllegalArgumentException(
                    "gcInterval must be at least 100 ms, was " + gcInterval);
        }
        if (departedWorkerGrace.isNegative()) {
            throw new IllegalArgumentException(
                    "departedWorkerGrace must not be negative, was " + departedWorkerGrace);
        }
        apiUrl = apiUrl == null ? "" : apiUrl;
        items = items == null ? ItemSettings.DEFAULTS : items;
        graphStagingTimeout =
                graphStagingTimeout == null ? Duration.ofMinutes(10) : graphStagingTimeout;
        if (graphStagingTimeout.toMillis() < 100) {
            throw new IllegalArgumentException(
                    "graphStagingTimeout must be at least 100 ms, was " + graphStagingTimeout);
        }
    }
}
