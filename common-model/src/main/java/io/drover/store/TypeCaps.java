package io.drover.store;

import io.drover.model.DroverPaths;
import io.drover.model.LiveCounts;
import io.drover.model.QuotaExceededException;
import io.drover.protocol.Znodes;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission control per task type: the caps of {@code TypePolicy.maxLiveTasks}, on the counts the
 * leader publishes ({@link LiveCounts} at {@code leader/live}), read at most once per {@link
 * LiveTasks#REFRESH_MS}; in between, what this store admitted of each type is added on. No node, or
 * a type not in it, means no cap for that type; a node that does not decode is logged and treated
 * as none (the cluster's cap still holds). Soft, as the cluster's cap is. Thread-safe.
 */
final class TypeCaps {
    private static final Logger LOG = LoggerFactory.getLogger(TypeCaps.class);

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final Map<String, AtomicLong> admittedSinceRead = new ConcurrentHashMap<>();
    private volatile Map<String, LiveCounts.TypeCount> counts = Map.of();
    private long readAtMs; // 0: never read
    private CompletableFuture<Void> reading;

    TypeCaps(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /** Completes when one more task of {@code type} fits, or fails with the quota error. */
    CompletableFuture<Void> admit(String type) {
        return fresh().thenRun(
                        () -> {
                            LiveCounts.TypeCount c = counts.get(type);
                            if (c == null) {
                                return;
                            }
                            AtomicLong since =
                                    admittedSinceRead.computeIfAbsent(type, t -> new AtomicLong());
                            synchronized (since) {
                                long live = c.live() + since.get();
                                if (live >= c.max()) {
                                    throw new QuotaExceededException(
                                            "task type '" + type + "'", live, c.max());
                                }
                                since.incrementAndGet();
                            }
                        });
    }

    private synchronized CompletableFuture<Void> fresh() {
        if (System.currentTimeMillis() - readAtMs < LiveTasks.REFRESH_MS) {
            return CompletableFuture.completedFuture(null);
        }
        if (reading == null) {
            CompletableFuture<Void> r = new CompletableFuture<>();
            reading = r;
            try {
                client.getData()
                        .inBackground(
                                (c, event) -> {
                                    read(event.getResultCode(), event.getData());
                                    r.complete(null);
                                })
                        .forPath(paths.liveCounts());
            } catch (Exception e) {
                reading = null;
                return CompletableFuture.failedFuture(e);
            }
        }
        return reading;
    }

    private synchronized void read(int rc, byte[] data) {
        reading = null;
        if (rc == KeeperException.Code.OK.intValue()) {
            try {
                counts = Znodes.liveCounts(paths.liveCounts(), data).types();
            } catch (RuntimeException corrupt) {
                LOG.warn("ignoring the per-type caps: {}", corrupt.getMessage());
                counts = Map.of();
            }
        } else if (rc == KeeperException.Code.NONODE.intValue()) {
            counts = Map.of();
        } else {
            return; // a connection problem: the next submission reads again
        }
        readAtMs = System.currentTimeMillis();
        admittedSinceRead.clear();
    }
}
