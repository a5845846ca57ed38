package io.drover.store;

import io.drover.model.DroverPaths;
import io.drover.model.LiveCounts;
import io.drover.model.QuotaExceededException;
import io.drover.protocol.Znodes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission control on the counts the leader publishes ({@link LiveCounts} at {@code leader/live}):
 * per task type ({@code TypePolicy.maxLiveTasks}), per principal (the cap the API gives a caller)
 * and on the bytes of live specs. Read at most once per {@link LiveTasks#REFRESH_MS}; in between,
 * what this store admitted is added on. No node means no count yet (a new cluster, an older
 * leader): only the cluster's own cap holds then; a node that does not decode is logged and treated
 * the same. Soft, as the cluster's cap is. Thread-safe.
 */
final class LeaderCounts {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderCounts.class);

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final long maxSpecBytes;
    private LiveCounts counts;
    private final Map<String, Long> typesSince = new HashMap<>();
    private final Map<String, Long> principalsSince = new HashMap<>();
    private long bytesSince;
    private long readAtMs; // 0: never read
    private CompletableFuture<Void> reading;

    LeaderCounts(CuratorFramework client, DroverPaths paths, long maxSpecBytes) {
        this.client = client;
        this.paths = paths;
        this.maxSpecBytes = maxSpecBytes;
    }

    /**
     * Completes when one more task fits every cap, or fails with the quota error naming the one it
     * would break.
     *
     * @param principal who submits (null: nobody the API knows)
     * @param principalMax that principal's cap on live tasks; 0: none
     */
    CompletableFuture<Void> admit(String type, String principal, long principalMax, long bytes) {
        return fresh().thenRun(() -> check(type, principal, principalMax, bytes));
    }

    private synchronized void check(String type, String principal, long principalMax, long bytes) {
        if (counts == null) {
            return;
        }
        LiveCounts.TypeCount t = counts.types().get(type);
        long ofType = t == null ? 0 : t.live() + typesSince.getOrDefault(type, 0L);
        if (t != null && ofType >= t.max()) {
            throw new QuotaExceededException("task type '" + type + "'", ofType, t.max());
        }
        long ofPrincipal =
                principal == null
                        ? 0
                        : counts.principals().getOrDefault(principal, 0L)
                                + principalsSince.getOrDefault(principal, 0L);
        if (principal != null && principalMax > 0 && ofPrincipal >= principalMax) {
            throw new QuotaExceededException(
                    "principal '" + principal + "'", ofPrincipal, principalMax);
        }
        long liveBytes = counts.specBytes() + bytesSince;
        if (liveBytes + bytes > maxSpecBytes) {
            throw QuotaExceededException.bytes(liveBytes, maxSpecBytes);
        }
        typesSince.merge(type, 1L, Long::sum);
        if (principal != null) {
            principalsSince.merge(principal, 1L, Long::sum);
        }
        bytesSince += bytes;
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
                counts = Znodes.liveCounts(paths.liveCounts(), data);
            } catch (RuntimeException corrupt) {
                LOG.warn("ignoring the leader's live counts: {}", corrupt.getMessage());
                counts = null;
            }
        } else if (rc == KeeperException.Code.NONODE.intValue()) {
            counts = null;
        } else {
            return; // a connection problem: the next submission reads again
        }
        readAtMs = System.currentTimeMillis();
        typesSince.clear();
        principalsSince.clear();
        bytesSince = 0;
    }
}
