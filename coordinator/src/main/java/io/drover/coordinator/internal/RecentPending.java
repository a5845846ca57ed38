package io.drover.coordinator.internal;

import io.drover.model.DroverPaths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.WatchedEvent;

/**
 * A coordinator's memory of the pending entries created lately and not yet gone, kept whether it
 * leads or not: tasks submitted while the leaders change are among them, and a new leader reads
 * them first ({@link #newestFirst()}), before its listing of a deep backlog, which takes seconds
 * (issue 15). One recursive watch on {@code pending/}; on a leader's own session it shares the
 * server's notifications with the leader's watch of the same folder, so it costs a standby two
 * notifications a task (created, deleted) and a leader none. At most {@link #CAPACITY} paths.
 * Nothing but the set is done on ZooKeeper's event thread.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} idempotent. Thread-safe.
 */
final class RecentPending implements AutoCloseable {
    /**
     * The tasks submitted in the third of a second a hand-over takes, at the highest rate measured
     * (issue 15); kept small because a new leader reads them all before its view is complete: ten
     * times as many held its first dispatch back by a second.
     */
    static final int CAPACITY = 1_000;

    private enum State {
        LATENT,
        STARTED,
        CLOSED
    }

    private final String root;
    private final PersistentWatcher watcher;
    private final LinkedHashSet<String> recent = new LinkedHashSet<>(); // guarded by itself
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

    RecentPending(CuratorFramework client, DroverPaths paths) {
        this.root = paths.pending() + "/";
        this.watcher = new PersistentWatcher(client, paths.pending(), true);
    }

    void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("already started");
        }
        watcher.getListenable().addListener(this::onEvent);
        watcher.start();
    }

    private void onEvent(WatchedEvent event) {
        String path = event.getPath();
        if (path == null || !path.startsWith(root) || path.indexOf('/', root.length()) < 0) {
            return; // the folder or a bucket, not an entry
        }
        synchronized (recent) {
            switch (event.getType()) {
                case NodeCreated -> {
                    recent.add(path);
                    if (recent.size() > CAPACITY) {
                        recent.remove(recent.iterator().next());
                    }
                }
                case NodeDeleted -> recent.remove(path);
                default -> {}
            }
        }
    }

    /** The entries' paths, the newest first: what a new leader reads before anything else. */
    List<String> newestFirst() {
        List<String> out;
        synchronized (recent) {
            out = new ArrayList<>(recent);
        }
        Collections.reverse(out);
        return out;
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            watcher.close();
        }
    }
}
