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
 * Waits for tasks to finish with one persistent recursive watch on {@code status/}, whatever the
 * number of tasks awaited: O(1) watches per client. The watch hears every status change of the
 * cluster, so it is removed once nothing has been awaited for {@link #LINGER_MS} (kept that long so
 * that a client waiting for one task after another does not add and remove it each time). A change
 * to an awaited task triggers one read. Thread-safe.
 */
final class StatusWatcher implements AutoCloseable {
    /** One per awaited task, shared by its callers; each caller holds its own future. */
    private static final class Waiter {
        final CompletableFuture<TaskStatus> done = new CompletableFuture<>();
        final List<Consumer<TaskStatus>> listeners = new CopyOnWriteArrayList<>();
        int callers; // changed inside waiters.compute only
    }

    private final CuratorFramework client;
    private final TaskStore store;
    private final DroverPaths paths;
    static final long LINGER_MS = 5_000;

    private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService linger;
    private PersistentWatcher watcher; // guarded by this
    private java.util.concurrent.ScheduledFuture<?> stopping; // guarded by this
    private boolean closed; // guarded by this

    StatusWatcher(CuratorFramework client, TaskStore store) {
        this.client = client;
        this.store = store;
        this.paths = store.paths();
        this.linger =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                        new io.drover.protocol.runtime.NamedThreads("drover-client-status-linger"));
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
                        stopIfIdle();
                    });
            ensureWatching();
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

    private synchronized void ensureWatching() {
        if (stopping != null) {
            stopping.cancel(false);
            stopping = null;
        }
        if (watcher == null && !closed) {
            watcher = new PersistentWatcher(client, paths.statuses(), true);
            watcher.getListenable().addListener(this::onEvent);
            // (Re)registration, the first included: read every awaited task again in case we missed
            // a change.
            watcher.getResetListenable().addListener(() -> waiters.keySet().forEach(this::refresh));
            watcher.start();
        }
    }

    private synchronized void stopIfIdle() {
        if (waiters.isEmpty() && watcher != null && stopping == null && !closed) {
            stopping =
                    linger.schedule(
                            this::stopNowIfIdle,
                            LINGER_MS,
                            java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void stopNowIfIdle() {
        stopping = null;
        if (waiters.isEmpty() && watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    private void onEvent(WatchedEvent event) {
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
        synchronized (this) {
            closed = true;
        }
        waiters.values().forEach(w -> w.done.cancel(false));
        synchronized (this) {
            if (watcher != null) {
                watcher.close();
                watcher = null;
            }
        }
        linger.shutdownNow();
    }
}
