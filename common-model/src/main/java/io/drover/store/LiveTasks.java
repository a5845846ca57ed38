package io.drover.store;

import io.drover.model.DroverPaths;
import io.drover.model.QuotaExceededException;
import io.drover.protocol.ChildCounts;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;

/**
 * Admission control for submissions: live tasks are statuses minus ended ones (each ended task has
 * a {@code done/} entry until retention deletes both), counted from the bucket folders' stats (two
 * reads per bucket, no listing), at most once per {@link #REFRESH_MS}; in between, what this store
 * admitted is added on. A soft cap: stores in other processes admit on their own count until the
 * next refresh, so the cluster can overshoot by what they submit within one refresh. Thread-safe.
 */
final class LiveTasks {
    static final long REFRESH_MS = 1_000;

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final long max;
    private final AtomicLong admittedSinceCount = new AtomicLong();
    private long counted;
    private long countedAtMs; // 0: never counted
    private CompletableFuture<Void> counting;

    LiveTasks(CuratorFramework client, DroverPaths paths, long max) {
        this.client = client;
        this.paths = paths;
        this.max = max;
    }

    /** Completes when one more task fits, or fails with {@link QuotaExceededException}. */
    CompletableFuture<Void> admit() {
        return fresh().thenRun(
                        () -> {
                            synchronized (this) {
                                long live = counted + admittedSinceCount.get();
                                if (live >= max) {
                                    throw new QuotaExceededException(live, max);
                                }
                                admittedSinceCount.incrementAndGet();
                            }
                        });
    }

    private synchronized CompletableFuture<Void> fresh() {
        if (System.currentTimeMillis() - countedAtMs < REFRESH_MS) {
            return CompletableFuture.completedFuture(null);
        }
        if (counting == null) {
            counting = count().whenComplete((n, e) -> counted(n, e)).thenRun(() -> {});
        }
        return counting;
    }

    private synchronized void counted(Long live, Throwable error) {
        counting = null;
        if (error == null) {
            counted = live;
            countedAtMs = System.currentTimeMillis();
            admittedSinceCount.set(0);
        }
    }

    private CompletableFuture<Long> count() {
        return ChildCounts.sum(client, paths.buckets(paths.statuses()))
                .thenCombine(
                        ChildCounts.sum(client, paths.buckets(paths.done())),
                        (statuses, ended) -> Math.max(0, statuses - ended));
    }
}
