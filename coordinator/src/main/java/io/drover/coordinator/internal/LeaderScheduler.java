package io.drover.coordinator.internal;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.election.LeadershipTerm;
import io.drover.model.Assignment;
import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.FenceLostException;
import io.drover.model.PendingEntry;
import io.drover.model.PendingKey;
import io.drover.model.TaskStatus;
import io.drover.model.TypePolicy;
import io.drover.model.Versioned;
import io.drover.model.WorkerInfo;
import io.drover.model.internal.BatchedReader;
import io.drover.model.internal.MultiBatcher;
import io.drover.model.internal.NamedThreads;
import io.drover.model.internal.WatchedFolder;
import io.drover.store.StoreOptions;
import io.drover.store.TaskStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's work for one term: rebuild the view, then dispatch pending tasks, recover the
 * attempts of lost workers, carry out cancellations, keep circuit breakers, delete old terminal
 * tasks, and place load/drop items ({@link ItemBalancer}). Everything runs on one thread ({@code drover-leader-<id>-e<epoch>}); watches and write
 * acknowledgements reach it in ZooKeeper order. A term never outlives a connection problem (the
 * election ends it on SUSPENDED), so within a term no event is missed.
 */
final class LeaderScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderScheduler.class);
    /** Workers cache, pending folder, type policies. */
    private static final int SOURCES = 3;

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final CoordinatorConfig config;
    private final LeadershipTerm term;
    private final ScheduledExecutorService executor;
    private final MultiBatcher batcher;
    private final TaskStore store;
    private final ClusterView view = new ClusterView();
    private final PendingIndex pending = new PendingIndex();
    private final Set<String> cancelRequests = new HashSet<>();
    private final Dispatcher dispatcher;
    private final Recovery recovery;
    private final Cancellations cancellations;
    private final Retention retention;
    private final TypeRules typeRules;
    private final CompletableFuture<Long> ready = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CuratorCache workerCache;
    private final CuratorCache typeCache;
    private final WatchedFolder pendingFolder;
    private final WatchedFolder cancelFolder;
    private final PersistentWatcher assignmentWatcher;
    private final ItemBalancer items;
    private int sourcesInitialized;
    private boolean passQueued;
    private ScheduledFuture<?> wake;
    private long wakeAtMs = Long.MAX_VALUE;

    LeaderScheduler(CuratorFramework client, DroverPaths paths, CoordinatorConfig config, LeadershipTerm term) {
        this.client = client;
        this.paths = paths;
        this.config = config;
        this.term = term;
        this.executor = Executors.newSingleThreadScheduledExecutor(new NamedThreads("drover-leader-" + config.id() + "-e" + term.epoch()));
        this.batcher = new MultiBatcher(client, List.of(term.fenceOp()), config.maxOpsPerMulti(), StoreOptions.MAX_MULTI_BYTES);
        this.store = new TaskStore(client, paths, StoreOptions.defaults());
        this.dispatcher = new Dispatcher(config.strategy());
        LeaderContext ctx = new LeaderContext(client, paths, term, batcher, store, view, executor);
        this.recovery = new Recovery(ctx, this::requestPass, this::suspend, config.assignmentTimeout().toMillis());
        this.retention = new Retention(ctx, config.retention().toMillis(), config.maxRetainedTasks());
        this.typeRules = new TypeRules(ctx, this::isReady, this::requestPass);
        this.workerCache = CuratorCache.build(client, paths.workers());
        this.typeCache = CuratorCache.build(client, paths.types());
        this.pendingFolder = new WatchedFolder(client, paths.pending(), 2, executor, new WatchedFolder.Listener() {
            @Override
            public void upserted(String path, byte[] data, int version) {
                onPending(path, data);
            }

            @Override
            public void removed(String path) {
                onPendingGone(path);
            }

            @Override
            public void initialized() {
                onSourceInitialized();
            }
        });
        this.cancellations = new Cancellations(ctx, pending, pendingFolder::refresh);
        this.cancelFolder = new WatchedFolder(client, paths.cancels(), 1, executor, new WatchedFolder.Listener() {
            @Override
            public void upserted(String path, byte[] data, int version) {
                cancelRequests.add(DroverPaths.nodeName(path));
                if (isReady()) {
                    cancellations.requested(DroverPaths.nodeName(path));
                }
            }

            @Override
            public void removed(String path) {
                cancelRequests.remove(DroverPaths.nodeName(path)); // carried out
            }
        });
        this.assignmentWatcher = new PersistentWatcher(client, paths.assignments(), true);
        this.items = new ItemBalancer(ctx, config.items(), executor, this::isReady);
    }

    CompletableFuture<Long> ready() {
        return ready;
    }

    void start() {
        workerCache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((old, node) -> onWorker(node))
                .forDeletes(node -> onWorkerGone(DroverPaths.nodeName(node.getPath())))
                .forInitialized(this::onSourceInitialized)
                .build(), executor);
        typeCache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((old, node) -> onTypePolicy(node))
                .forDeletes(node -> {
                    typeRules.remove(DroverPaths.nodeName(node.getPath()));
                    requestPass();
                })
                .forInitialized(this::onSourceInitialized)
                .build(), executor);
        assignmentWatcher.getListenable().addListener(event -> executor.execute(() -> onAssignmentEvent(event)));
        assignmentWatcher.start();
        workerCache.start();
        typeCache.start();
        pendingFolder.start();
        items.start();
        executor.scheduleWithFixedDelay(this::reconcile, config.reconcileInterval().toMillis(),
                config.reconcileInterval().toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::collectGarbage, config.gcInterval().toMillis(),
                config.gcInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(workerCache);
        closeQuietly(typeCache);
        closeQuietly(pendingFolder);
        closeQuietly(cancelFolder);
        closeQuietly(assignmentWatcher);
        closeQuietly(items);
        batcher.close();
        store.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- rebuild ---------------------------------------------------------------------------------

    private void onSourceInitialized() {
        if (++sourcesInitialized < SOURCES) {
            return;
        }
        try {
            rebuildAssignments();
            typeRules.restore();
        } catch (Exception e) {
            LOG.warn("leader {} could not rebuild its view in epoch {}: {}; yielding", config.id(), term.epoch(), e.toString());
            term.fenceLost(e);
            return;
        }
        LOG.info("leader {} ready in epoch {}: {} workers, {} pending, {} assigned", config.id(), term.epoch(),
                view.workers().size(), pending.size(), view.allAssignments().values().stream().mapToInt(Set::size).sum());
        ready.complete(term.epoch());
        cancelFolder.start();
        reconcile();
        requestPass();
        items.requestPass();
    }

    /**
     * Lists every assignment and reads it, to know each one's type and attempt (for type limits and
     * breakers). Watches were registered first, and replaying set-valued events over a newer
     * snapshot is harmless.
     */
    private void rebuildAssignments() throws Exception {
        BatchedReader reader = new BatchedReader(client, 100);
        Map<String, CompletableFuture<Optional<Versioned<byte[]>>>> reads = new HashMap<>();
        for (String workerId : client.getChildren().forPath(paths.assignments())) {
            List<String> tasks = client.getChildren().forPath(paths.assignments(workerId));
            view.replaceAssignments(workerId, tasks);
            tasks.forEach(t -> reads.put(paths.assignment(workerId, t), reader.read(paths.assignment(workerId, t))));
        }
        for (var e : reads.entrySet()) {
            Optional<Versioned<byte[]>> data = e.getValue().get(30, TimeUnit.SECONDS);
            if (data.isPresent()) {
                try {
                    Assignment a = DroverJson.decode(e.getKey(), data.get().value(), Assignment.class);
                    view.addAssignment(a.status().workerId(), a.taskId(), a.status().type(), a.status().attempt());
                } catch (CorruptZnodeException corrupt) {
                    LOG.error("leader cannot read an assignment (its worker will not run it; the assignment timeout revokes it): {}",
                            corrupt.getMessage());
                }
            }
        }
    }

    private boolean isReady() {
        return ready.isDone() && term.isActive() && !closed.get();
    }

    // ---- watched state ---------------------------------------------------------------------------

    private void onWorker(ChildData node) {
        if (node.getPath().equals(paths.workers())) {
            return;
        }
        try {
            view.putWorker(DroverJson.decode(node.getPath(), node.getData(), WorkerInfo.class));
            requestPass();
            items.requestPass();
        } catch (CorruptZnodeException e) {
            LOG.error("leader ignores a worker it cannot read: {}", e.getMessage());
        }
    }

    /**
     * A worker node vanishes when its session ends, even if the worker comes back at once with a new
     * session; so this one event covers both a dead worker and a worker whose claims died with its
     * session. The leader does not watch claims: that would cost two events per task.
     */
    private void onWorkerGone(String workerId) {
        items.requestPass();
        if (view.removeWorker(workerId) != null && isReady()) {
            LOG.info("worker {} is gone; recovering its {} assignments", workerId, view.assignmentsOf(workerId).size());
            view.assignmentsOf(workerId).forEach(recovery::verify);
        }
    }

    private void onTypePolicy(ChildData node) {
        if (node.getPath().equals(paths.types())) {
            return;
        }
        try {
            typeRules.put(DroverPaths.nodeName(node.getPath()), DroverJson.decode(node.getPath(), node.getData(), TypePolicy.class).validate());
            requestPass();
        } catch (RuntimeException e) {
            LOG.error("leader ignores a type policy it cannot read: {}", e.getMessage());
        }
    }

    private void onPending(String path, byte[] data) {
        try {
            PendingEntry entry = DroverJson.decode(path, data, PendingEntry.class);
            if (!paths.pending(entry).equals(path)) {
                throw new CorruptZnodeException(path, "entry of task " + entry.taskId() + " belongs at " + paths.pending(entry), null);
            }
            pending.add(entry, System.currentTimeMillis());
            if (cancelRequests.contains(entry.taskId())) {
                cancellations.requested(entry.taskId()); // e.g. a retry written while the cancel was on its way
            }
            requestPass();
        } catch (CorruptZnodeException | NullPointerException e) {
            LOG.error("leader skips a pending entry it cannot read (inspect and delete it by hand): {}", e.getMessage());
        }
    }

    private void onPendingGone(String path) {
        String key = DroverPaths.nodeName(path);
        String taskId = PendingKey.taskIdOf(key);
        if (taskId != null) {
            pending.remove(taskId, key);
        }
    }

    private void onAssignmentEvent(WatchedEvent event) {
        String[] parts = relative(paths.assignments(), event.getPath());
        if (parts.length != 2) {
            return;
        }
        if (event.getType() == Watcher.Event.EventType.NodeCreated) {
            view.addAssignment(parts[0], parts[1]);
        } else if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
            ClusterView.Held gone = view.removeAssignment(parts[0], parts[1]);
            if (gone != null) {
                typeRules.assignmentEnded(parts[1], gone);
                requestPass();
            }
        }
    }

    private static String[] relative(String root, String path) {
        if (path == null || !path.startsWith(root + "/")) {
            return new String[0];
        }
        return path.substring(root.length() + 1).split("/");
    }

    // ---- dispatch --------------------------------------------------------------------------------

    private void requestPass() {
        if (!passQueued && !closed.get()) {
            passQueued = true;
            executor.execute(this::pass);
        }
    }

    private void pass() {
        passQueued = false;
        if (!isReady()) {
            return;
        }
        long now = System.currentTimeMillis();
        long nextDelayed = pending.promote(now);
        for (Dispatcher.Choice choice : dispatcher.pass(pending, view, type -> typeRules.allowance(type, now))) {
            typeRules.dispatched(choice.entry().type(), choice.entry().taskId());
            assign(choice.entry(), choice.workerId(), now);
        }
        wakeAt(nextDelayed);
        wakeAt(typeRules.nextWakeMs());
    }

    /** Schedules a pass for a future time (a not-before time or a breaker's end); no polling. */
    private void wakeAt(long atMs) {
        if (atMs <= System.currentTimeMillis() || atMs >= wakeAtMs) {
            return; // a time already past needs no wake-up: the next pass sees it
        }
        if (wake != null) {
            wake.cancel(false);
        }
        wakeAtMs = atMs;
        wake = executor.schedule(() -> {
            wakeAtMs = Long.MAX_VALUE;
            requestPass();
        }, Math.max(0, atMs - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    }

    private void assign(PendingEntry entry, String workerId, long now) {
        TaskStatus assigned = entry.status().assigned(workerId, term.epoch(), now);
        Assignment assignment = new Assignment(Assignment.FORMAT_VERSION, assigned, entry.statusVersion() + 1, entry.spec());
        List<CuratorOp> ops;
        try {
            ops = List.of(
                    client.transactionOp().delete().forPath(paths.pending(entry)),
                    client.transactionOp().setData().withVersion(entry.statusVersion())
                            .forPath(paths.status(entry.taskId()), DroverJson.encode(assigned)),
                    client.transactionOp().create().forPath(paths.assignment(workerId, entry.taskId()), DroverJson.encode(assignment)));
        } catch (Exception e) {
            LOG.error("cannot build assignment of {}", entry.taskId(), e);
            return;
        }
        String type = entry.type();
        view.reserve(workerId, type);
        batcher.submit(ops).whenCompleteAsync((r, e) -> {
            view.release(workerId, type);
            if (e == null) {
                view.addAssignment(workerId, entry.taskId(), type, assigned.attempt());
                return;
            }
            Throwable cause = TaskStore.unwrap(e);
            if (cause instanceof FenceLostException) {
                term.fenceLost(cause);
                return;
            }
            LOG.info("assignment of task {} to {} rejected: {}", entry.taskId(), workerId, cause.toString());
            typeRules.assignFailed(type, entry.taskId());
            // If the entry is still there, the failure was elsewhere (e.g. the status moved on); re-read it.
            pendingFolder.refresh(paths.pending(entry));
            requestPass();
        }, executor);
    }

    /**
     * A worker that let an assignment time out gets no new work for twice the assignment timeout
     * (as Druid blacklists failing workers); otherwise the task would go straight back to it.
     */
    private void suspend(String workerId) {
        long coolDownMs = 2 * config.assignmentTimeout().toMillis();
        LOG.warn("worker {} did not claim an assignment in time; no new work for it for {} ms", workerId, coolDownMs);
        view.suspend(workerId, System.currentTimeMillis() + coolDownMs);
        executor.schedule(this::requestPass, coolDownMs, TimeUnit.MILLISECONDS);
    }

    // ---- safety net and housekeeping -------------------------------------------------------------

    /**
     * Re-verifies assignments whose worker is gone or whose claim is missing (which also enforces
     * the assignment timeout), and re-reads pending cancellation requests. Slow and rare: watches
     * do the real work.
     */
    private void reconcile() {
        if (!isReady()) {
            return;
        }
        items.requestPass();
        try {
            Set<String> claims = new HashSet<>(client.getChildren().forPath(paths.claims()));
            view.allAssignments().forEach((workerId, tasks) -> tasks.forEach(taskId -> {
                if (!view.hasWorker(workerId) || !claims.contains(taskId)) {
                    recovery.verify(taskId);
                }
            }));
            for (String taskId : client.getChildren().forPath(paths.cancels())) {
                cancellations.requested(taskId);
            }
        } catch (Exception e) {
            LOG.warn("reconciliation in epoch {} failed: {}", term.epoch(), e.toString());
        }
    }

    private void collectGarbage() {
        if (isReady()) {
            retention.collect();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }
}
