package io.drover.client;

import io.drover.model.DroverPaths;
import io.drover.model.TaskNotFoundException;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.store.TaskStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * Waits for tasks to finish with one persistent watch on the status node of each awaited task (not
 * recursive), added when the first caller starts waiting for it and removed when the last one
 * stops: a client hears about the tasks it waits for and nothing else, so what it costs ZooKeeper
 * grows with its own tasks, not with the cluster's traffic. Before, one recursive watch on all of
 * {@code status/} made every waiting client hear every status change of the cluster. A change to an
 * awaited task triggers one read. Thread-safe.
 */
final class StatusWatcher implements AutoCloseable {
    /** One per awaited task, shared by its callers; each caller holds its own future. */
    private static final class Waiter {
        final CompletableFuture<TaskStatus> done = new CompletableFuture<>();
        final List<Consumer<TaskStatus>> listeners = new CopyOnWriteArrayList<>();
        int callers; // changed inside waiters.compute only
        PersistentWatcher watcher; // guarded by this Waiter
        boolean unwatched; // guarded by this Waiter
    }

    private final CuratorFramework client;
    private final TaskStore store;
    private final DroverPaths paths;
    private final java.util.concurrent.atomic.LongAdder notifications =
            new java.util.concurrent.atomic.LongAdder();

    private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();
    private volatile boolean closed;

    StatusWatcher(CuratorFramework client, TaskStore store) {
        this.client = client;
        this.store = store;
        this.paths = store.paths();
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
            w.done.whenComplete(
                    (status, e) -> {
                        waiters.remove(taskId, w);
                        unwatch(w);
                    });
            watch(taskId, w);
            refresh(taskId);
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

    private void watch(String taskId, Waiter w) {
        synchronized (w) {
            if (w.unwatched) {
                return; // it ended (or its caller gave up) already
            }
            w.watcher = new PersistentWatcher(client, paths.status(taskId), false);
            w.watcher.getListenable().addListener(this::onEvent);
            // (Re)registration, the first included: read again in case a change was missed
            w.watcher.getResetListenable().addListener(() -> refresh(taskId));
            w.watcher.start();
        }
        if (closed) {
            w.done.cancel(false);
        }
    }

    private static void unwatch(Waiter w) {
        synchronized (w) {
            w.unwatched = true;
            if (w.watcher != null) {
                w.watcher.close();
            }
        }
    }

    private void onEvent(WatchedEvent event) {
        notifications.increment();
        if (event.getType() == Watcher.Event.EventType.NodeDataChanged
                || event.getType() == Watcher.Event.EventType.NodeCreated) {
            String taskId = DroverPaths.nodeName(event.getPath());
            if (waiters.containsKey(taskId)) {
                refresh(taskId);
            }
        }
    }

    private void refresh(String taskId) {
        Waiter w = waiters.get(taskId);
        if (w == null) {
            return;
        }
        store.status(taskId)
                .whenComplete(
                        (status, e) -> {
                            if (e != null) {
                                Throwable cause = ZooKeeperCalls.unwrap(e);
                                if (cause instanceof io.drover.model.DroverException d
                                        && !d.isRetryable()) {
                                    // e.g. a status corrupted by hand: waiting longer cannot help
                                    w.done.completeExceptionally(d);
                                }
                                return; // transient; the next event or watch reset reads again
                            }
                            if (status.isEmpty()) {
                                w.done.completeExceptionally(new TaskNotFoundException(taskId));
                                return;
                            }
                            TaskStatus s = status.map(Versioned::value).get();
                            w.listeners.forEach(l -> l.accept(s));
                            if (s.state().isTerminal()) {
                                w.done.complete(s);
                            }
                        });
    }

    @Override
    public void close() {
        closed = true;
        waiters.values().forEach(w -> w.done.cancel(false));
    }
}
