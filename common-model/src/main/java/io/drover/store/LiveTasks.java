package io.drover.store;

import io.drover.model.DroverPaths;
import io.drover.model.QuotaExceededException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

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
        List<String> statuses = paths.buckets(paths.statuses());
        List<String> done = paths.buckets(paths.done());
        CompletableFuture<Long> total = CompletableFuture.completedFuture(0L);
        for (String bucket : statuses) {
            total = total.thenCombine(children(bucket), Long::sum);
        }
        for (String bucket : done) {
            total = total.thenCombine(children(bucket), (t, n) -> t - n);
        }
        return total.thenApply(n -> Math.max(0, n));
    }

    /** The folder's child count from its stat; 0 if it does not exist. */
    private CompletableFuture<Long> children(String folder) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        try {
            client.checkExists()
                    .inBackground(
                            (c, e) -> {
                                if (e.getStat() != null) {
                                    f.complete((long) e.getStat().getNumChildren());
                                } else if (e.getResultCode()
                                        == KeeperException.Code.NONODE.intValue()) {
                                    f.complete(0L);
                                } else {
                                    f.completeExceptionally(
                                            KeeperException.create(
                                                    KeeperException.Code.get(e.getResultCode()),
                                                    folder));
                                }
                            })
                    .forPath(folder);
        } catch (Exception e) {
            f.completeExceptionally(e);
        }
        return f;
    }
}
