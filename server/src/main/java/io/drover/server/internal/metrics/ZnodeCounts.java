package io.drover.server.internal.metrics;

import io.drover.model.DroverPaths;
import io.drover.protocol.ChildCounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * The znodes in each of the cluster's folders, from child counts ({@code Stat.numChildren}, as the
 * cluster view reads them): one pipelined {@code exists} per folder, bucket or worker folder, some
 * thousand for a cluster (256 buckets in four folders), all in flight at once, and never a listing
 * of tasks. Works with any ZooKeeper server: no four-letter word ({@code mntr} is usually not
 * allowed) and no admin server. Taken at most every {@link #MAX_AGE_MS}, however often it is
 * scraped.
 *
 * <p>Blocking: call from a scrape, never from ZooKeeper's event thread. Thread-safe.
 */
final class ZnodeCounts {
    static final long MAX_AGE_MS = 10_000;

    /** Well within a scrape's timeout (Prometheus's default is 10 s). */
    static final long WAIT_MS = 3_000;

    private final CuratorFramework client;
    private final DroverPaths paths;
    private Map<String, Long> last = Map.of();
    private long takenAtMs;

    ZnodeCounts(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /**
     * Znodes by folder, at most {@link #MAX_AGE_MS} old; empty if ZooKeeper cannot answer within
     * {@link #WAIT_MS}, so that a scrape of everything else goes on while it is away.
     */
    synchronized Map<String, Long> counts() {
        long now = System.currentTimeMillis();
        if (now - takenAtMs < MAX_AGE_MS) {
            return last;
        }
        try {
            last = client.getZookeeperClient().isConnected() ? take() : Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            last = Map.of();
        } catch (Exception unavailable) {
            last = Map.of(); // the next scrape tries again
        }
        takenAtMs = now;
        return last;
    }

    private Map<String, Long> take() throws Exception {
        Map<String, List<String>> folders = new LinkedHashMap<>();
        folders.put("tasks", paths.buckets(paths.tasks()));
        folders.put("status", paths.buckets(paths.statuses()));
        folders.put("pending", paths.buckets(paths.pending()));
        folders.put("done", paths.buckets(paths.done()));
        folders.put("claims", List.of(paths.claims()));
        folders.put("cancels", List.of(paths.cancels()));
        folders.put("drains", List.of(paths.drains()));
        folders.put("workers", List.of(paths.workers()));
        folders.put("coordinators", List.of(paths.coordinators()));
        folders.put("items", List.of(paths.items()));
        folders.put("types", List.of(paths.types()));
        folders.put("breakers", List.of(paths.breakers()));
        folders.put("assignments", perWorker(paths.assignments(), paths::assignments));
        folders.put("loadqueue", perWorker(paths.loadQueue(), paths::loadQueue));
        folders.put("served", perWorker(paths.served(), paths::served));
        Map<String, CompletableFuture<Long>> sums = new LinkedHashMap<>();
        folders.forEach((name, list) -> sums.put(name, ChildCounts.sum(client, list)));
        CompletableFuture.allOf(sums.values().toArray(CompletableFuture[]::new))
                .get(WAIT_MS, TimeUnit.MILLISECONDS);
        Map<String, Long> out = new LinkedHashMap<>();
        sums.forEach((name, sum) -> out.put(name, sum.join()));
        return out;
    }

    /** The per-worker folders under a parent (none if the parent is missing). */
    private List<String> perWorker(String parent, UnaryOperator<String> folderOf) throws Exception {
        List<String> out = new ArrayList<>();
        try {
            for (String w : client.getChildren().forPath(parent)) {
                out.add(folderOf.apply(w));
            }
        } catch (KeeperException.NoNodeException none) {
            // a cluster laid out before the folder existed
        }
        return out;
    }
}
