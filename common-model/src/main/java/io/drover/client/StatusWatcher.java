package io.drover.client;

import io.drover.model.DroverPaths;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.store.TaskStore;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * Waits for tasks to finish with one persistent recursive watch on {@code status/}, whatever the
 * number of tasks awaited: O(1) watches per client. A change to an awaited task triggers one read.
 * Thread-safe.
 */
final class StatusWatcher implements AutoCloseable {
    private record Waiter(CompletableFuture<TaskStatus> done, Consumer<TaskStatus> onChange) {}

    private final TaskStore store;
    private final DroverPaths paths;
    private final PersistentWatcher watcher;
    private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();

    StatusWatcher(CuratorFramework client, TaskStore store) {
        this.store = store;
        this.paths = store.paths();
        this.watcher = new PersistentWatcher(client, paths.statuses(), true);
        watcher.getListenable().addListener(this::onEvent);
        // After a reconnect events may have been missed: read every awaited task again.
        watcher.getResetListenable().addListener(() -> waiters.keySet().forEach(this::refresh));
    }

    CompletableFuture<TaskStatus> await(String taskId, Consumer<TaskStatus> onChange) {
        if (started.compareAndSet(false, true)) {
            watcher.start(); // lazily: a client that never waits receives no status events at all
        }
        Waiter w = waiters.computeIfAbsent(taskId, id -> new Waiter(new CompletableFuture<>(), onChange));
        w.done.whenComplete((s, e) -> waiters.remove(taskId, w));
        refresh(taskId);
        return w.done;
    }

    private void onEvent(WatchedEvent event) {
        if (event.getType() == Watcher.Event.EventType.NodeDataChanged || event.getType() == Watcher.Event.EventType.NodeCreated) {
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
        store.status(taskId).whenComplete((status, e) -> {
            if (e != null) {
                return; // transient; the next event or reset reads again
            }
            status.map(Versioned::value).ifPresent(s -> {
                if (w.onChange != null) {
                    w.onChange.accept(s);
                }
                if (s.state().isTerminal()) {
                    w.done.complete(s);
                }
            });
        });
    }

    @Override
    public void close() {
        watcher.close();
        waiters.values().forEach(w -> w.done.cancel(false));
    }
}
