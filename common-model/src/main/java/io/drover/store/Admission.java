package io.drover.store;

import io.drover.model.DroverPaths;
import io.drover.protocol.ZooKeeperCalls;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;

/**
 * Every cap a task must fit before it is written live (a submission, a re-run, a graph's tasks):
 * the cluster's ({@link LiveTasks}), then its type's, its principal's and the bytes of live specs
 * ({@link LeaderCounts}). One per store, so that what one process admitted is added on between
 * counts whichever way it came in. Thread-safe.
 */
final class Admission {
    private final LiveTasks live;
    private final LeaderCounts counts;

    Admission(CuratorFramework client, DroverPaths paths, StoreOptions options) {
        this.live = new LiveTasks(client, paths, options.maxLiveTasks());
        this.counts = new LeaderCounts(client, paths, options.maxLiveSpecBytes());
    }

    /**
     * Completes when one more task fits every cap, or fails with the quota error naming the one it
     * would break (or a ZooKeeper error, translated).
     *
     * @param principal who the task counts against (null: nobody the API knows)
     * @param principalMax that principal's cap; 0: none
     */
    CompletableFuture<Void> admit(String type, String principal, long principalMax, long bytes) {
        return live.admit()
                .thenCompose(admitted -> counts.admit(type, principal, principalMax, bytes))
                .exceptionallyCompose(
                        e ->
                                CompletableFuture.failedFuture(
                                        ZooKeeperCalls.translate("count live tasks", e)));
    }
}
