package io.drover.it;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * Follows {@code served/} through one recursive watch, in ZooKeeper's order, so a test sees every
 * replica that came or went, not samples: after {@link #baseline} it knows the fewest replicas each
 * item ever had, and the most items over-replicated at once (moves in flight).
 */
final class ServedLog implements AutoCloseable {
    private final String root;
    private final PersistentWatcher watcher;
    private final Map<String, Set<String>> replicas = new HashMap<>();
    private Map<String, Integer> fewest;
    private Map<String, Integer> desired = Map.of();
    private int mostOver;

    ServedLog(CuratorFramework client, String servedRoot) {
        this.root = servedRoot;
        this.watcher = new PersistentWatcher(client, servedRoot, true);
        watcher.getListenable().addListener(this::onEvent);
        CountDownLatch registered = new CountDownLatch(1);
        watcher.getResetListenable().addListener(registered::countDown);
        watcher.start();
        try {
            if (!registered.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "the watch on " + servedRoot + " was not set within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private synchronized void onEvent(WatchedEvent e) {
        if (e.getPath() == null || !e.getPath().startsWith(root + "/")) {
            return;
        }
        String[] wi = e.getPath().substring(root.length() + 1).split("/");
        if (wi.length != 2) {
            return;
        }
        if (e.getType() == Watcher.Event.EventType.NodeCreated) {
            replicas.computeIfAbsent(wi[1], k -> new HashSet<>()).add(wi[0]);
        } else if (e.getType() == Watcher.Event.EventType.NodeDeleted) {
            replicas.getOrDefault(wi[1], new HashSet<>()).remove(wi[0]);
        }
        if (fewest != null) {
            int over = 0;
            for (var d : desired.entrySet()) {
                int n = replicas.getOrDefault(d.getKey(), Set.of()).size();
                fewest.merge(d.getKey(), n, Math::min);
                over += n > d.getValue() ? 1 : 0;
            }
            mostOver = Math.max(mostOver, over);
        }
    }

    /**
     * From now on, track the fewest replicas of each item against its desired count. First waits
     * (bounded) until the watch has caught up with the converged state the caller saw by reading.
     */
    void baseline(Map<String, Integer> desiredReplicas) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(
                        () ->
                                desiredReplicas.entrySet().stream()
                                        .allMatch(e -> replicas(e.getKey()) == e.getValue()));
        start(desiredReplicas);
    }

    private synchronized void start(Map<String, Integer> desiredReplicas) {
        desired = Map.copyOf(desiredReplicas);
        fewest = new HashMap<>();
        desired.keySet().forEach(id -> fewest.put(id, replicas.getOrDefault(id, Set.of()).size()));
    }

    synchronized int replicas(String itemId) {
        return replicas.getOrDefault(itemId, Set.of()).size();
    }

    /** The fewest replicas any tracked item had since the baseline. */
    synchronized int fewestReplicasSeen() {
        return fewest.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
    }

    /**
     * The most tracked items that had more replicas than desired at one moment since the baseline.
     */
    synchronized int mostOverReplicatedAtOnce() {
        return mostOver;
    }

    @Override
    public void close() {
        watcher.close();
    }
}
