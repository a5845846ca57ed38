package io.drover.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * Counts replicas per item from one recursive watch on {@code served/}, in ZooKeeper's order, and
 * completes a future when every item has its replicas: precise to the event, with no polling.
 *
 * <p>The items bench's measuring instrument, kept apart from the command that drives the cluster so
 * that the bookkeeping of what "fully replicated" means can be read (and trusted) on its own.
 * Thread-safe: events arrive on Curator's thread while the bench thread asks for futures.
 */
final class ReplicaCounter implements AutoCloseable {
    private final String root;
    private final int items;
    private final int replicas;
    private final PersistentWatcher watcher;
    private final Map<String, Integer> count = new HashMap<>();
    private int full;
    private boolean dipped = true;
    private CompletableFuture<Void> waiting = new CompletableFuture<>();

    ReplicaCounter(CuratorFramework client, String root, int items, int replicas)
            throws InterruptedException {
        this.root = root;
        this.items = items;
        this.replicas = replicas;
        this.watcher = new PersistentWatcher(client, root, true);
        CountDownLatch set = new CountDownLatch(1);
        watcher.getResetListenable().addListener(set::countDown);
        watcher.getListenable().addListener(this::onEvent);
        watcher.start();
        if (!set.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not watch " + root);
        }
    }

    private synchronized void onEvent(WatchedEvent e) {
        String[] wi =
                e.getPath() == null || !e.getPath().startsWith(root + "/")
                        ? new String[0]
                        : e.getPath().substring(root.length() + 1).split("/");
        if (wi.length != 2) {
            return;
        }
        int delta =
                e.getType() == Watcher.Event.EventType.NodeCreated
                        ? 1
                        : e.getType() == Watcher.Event.EventType.NodeDeleted ? -1 : 0;
        int before = count.getOrDefault(wi[1], 0);
        int after = before + delta;
        count.put(wi[1], after);
        full += (after >= replicas ? 1 : 0) - (before >= replicas ? 1 : 0);
        dipped |= full < items;
        if (full == items && dipped) {
            waiting.complete(null);
        }
    }

    synchronized CompletableFuture<Void> fullyReplicated() {
        return waiting;
    }

    /**
     * Completes the next time every item is back to full replication, after some replica was lost.
     */
    synchronized CompletableFuture<Void> nextFullReplication() {
        waiting = new CompletableFuture<>();
        dipped = false;
        return waiting;
    }

    @Override
    public void close() {
        watcher.close();
    }
}
