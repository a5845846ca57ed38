package io.drover.client;

import io.drover.model.DroverException;
import io.drover.model.DroverPaths;
import io.drover.model.InvalidTaskException;
import io.drover.model.Names;
import io.drover.model.TaskNotFoundException;
import io.drover.model.TaskStatus;
import io.drover.protocol.Znodes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * Waits for tasks to finish with a data watch on the status node of each awaited task, set by the
 * read that each change calls for anyway (ZooKeeper's classic read-and-watch): a client hears about
 * the tasks it waits for and nothing else, so what it costs ZooKeeper grows with its own tasks, not
 * with the cluster's traffic, and a wait costs no request beyond its reads and one removal of the
 * last watch. Before, one recursive watch on all of {@code status/} made every waiting client hear
 * every status change of the cluster.
 *
 * <p>The reads go to Curator's current ZooKeeper handle directly: a Curator background operation
 * per read and per watch (what {@code PersistentWatcher} does) made one client waiting for 20,000
 * tasks twice as slow. ZooKeeper re-registers these watches itself after a reconnection; after a
 * session expiry (a new session has none) every awaited task is read again. Thread-safe; callbacks
 * run on the ZooKeeper event thread and never block.
 */
final class StatusWatcher implements AutoCloseable {
    /** One per awaited task, shared by its callers; each caller holds its own future. */
    private static final class Waiter {
        final CompletableFuture<TaskStatus> done = new CompletableFuture<>();
        final List<Consumer<TaskStatus>> listeners = new CopyOnWriteArrayList<>();
        int callers; // changed inside waiters.compute only
    }

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final LongAdder notifications = new LongAdder();
    private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();
    private final Watcher watcher = this::onEvent;
    private final ConnectionStateListener reconnects = this::onState;
    private volatile boolean closed;

    StatusWatcher(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
        client.getConnectionStateListenable().addListener(reconnects);
    }

    /** ZooKeeper notifications this client has received for the tasks it waited for. */
    long notifications() {
        return notifications.sum();
    }

    /**
     * Completes when the task is terminal; fails with {@link TaskNotFoundException} if it does not
     * exist. {@code onChange} (may be null) sees each status read on the way, on the ZooKeeper
     * event thread: it must not block.
     */
    CompletableFuture<TaskStatus> await(String taskId, Consumer<TaskStatus> onChange) {
        try {
            Names.checkId("id", taskId);
        } catch (InvalidTaskException e) {
            return CompletableFuture.failedFuture(e);
        }
        boolean[] fresh = {false};
        Waiter w =
                waiters.compute(
                        taskId,
                        (id, existing) -> {
                            Waiter x = existing != null ? existing : new Waiter();
                            fresh[0] = existing == null;
                            x.callers++;
                            if (onChange != null) {
                                x.listeners.add(onChange);
                            }
                            return x;
                        });
        // Each caller gets its own future: cancelling it (a timeout) leaves the others waiting.
        CompletableFuture<TaskStatus> mine = w.done.thenApply(status -> status);
        mine.whenComplete((status, e) -> leave(taskId, w, onChange));
        if (fresh[0]) {
            w.done.whenComplete((status, e) -> end(taskId, w));
            if (closed) {
                w.done.cancel(false);
            } else {
                read(taskId);
            }
        }
        return mine;
    }

    private void leave(String taskId, Waiter w, Consumer<TaskStatus> onChange) {
        if (onChange != null) {
            w.listeners.remove(onChange);
        }
        Waiter left =
                waiters.computeIfPresent(taskId, (id, x) -> x != w || --x.callers > 0 ? x : null);
        if (left == null && !w.done.isDone()) {
            w.done.cancel(false); // nobody waits for it any more
        }
    }

    /** The wait is over: its watch goes too, so that ZooKeeper holds none for ended waits. */
    private void end(String taskId, Waiter w) {
        waiters.remove(taskId, w);
        if (waiters.containsKey(taskId)) {
            return; // a new wait for the same task started meanwhile and uses the watch
        }
        try {
            handle().removeWatches(
                            paths.status(taskId),
                            watcher,
                            Watcher.WatcherType.Data,
                            true,
                            // a wait for it that started meanwhile needs its watch back
                            (rc, path, ctx) -> {
                                if (waiters.containsKey(taskId)) {
                                    read(taskId);
                                }
                            },
                            null);
        } catch (Exception e) {
            // no connection: the session's end takes the watch with it
        }
    }

    private ZooKeeper handle() throws Exception {
        return client.getZookeeperClient().getZooKeeper();
    }

    private void onEvent(WatchedEvent event) {
        notifications.increment();
        if (event.getType() == Watcher.Event.EventType.NodeDataChanged
                || event.getType() == Watcher.Event.EventType.NodeDeleted) {
            String taskId = DroverPaths.nodeName(event.getPath());
            if (waiters.containsKey(taskId)) {
                read(taskId);
            }
        }
    }

    private void onState(CuratorFramework c, ConnectionState state) {
        if (state == ConnectionState.RECONNECTED) {
            // after an expiry the new session has no watches: read (and watch) every task again
            waiters.keySet().forEach(this::read);
        }
    }

    /** Reads the status and watches it; completes the wait when it is terminal. */
    private void read(String taskId) {
        Waiter w = waiters.get(taskId);
        if (w == null || closed) {
            return;
        }
        String path = paths.status(taskId);
        try {
            handle().getData(
                            path,
                            watcher,
                            (rc, p, ctx, data, stat) -> {
                                if (rc == KeeperException.Code.NONODE.intValue()) {
                                    w.done.completeExceptionally(new TaskNotFoundException(taskId));
                                } else if (rc == KeeperException.Code.OK.intValue()) {
                                    apply(w, path, data);
                                }
                                // otherwise the connection dropped: the reconnection reads again
                            },
                            null);
        } catch (Exception e) {
            // not connected now: the reconnection reads again
        }
    }

    private static void apply(Waiter w, String path, byte[] data) {
        TaskStatus s;
        try {
            s = Znodes.status(path, data);
        } catch (DroverException e) {
            w.done.completeExceptionally(e); // a status corrupted by hand: waiting cannot help
            return;
        }
        w.listeners.forEach(l -> l.accept(s));
        if (s.state().isTerminal()) {
            w.done.complete(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        client.getConnectionStateListenable().removeListener(reconnects);
        waiters.values().forEach(w -> w.done.cancel(false));
    }
}
