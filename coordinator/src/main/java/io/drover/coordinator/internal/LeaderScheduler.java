package io.drover.coordinator.internal;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.election.LeadershipTerm;
import io.drover.model.Assignment;
import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.PendingKey;
import io.drover.model.Versioned;
import io.drover.protocol.runtime.BatchedReader;
import io.drover.protocol.runtime.NamedThreads;
import io.drover.protocol.runtime.WatchedFolder;
import io.drover.protocol.CorruptNodes;
import io.drover.protocol.TaskTransitions;
import io.drover.protocol.ZnodeKind;
import io.drover.protocol.Znodes;
import io.drover.store.StoreOptions;
import io.drover.store.TaskStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
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
    private final TermWriter writer;
    private final TaskTransitions transitions;
    private final TaskStore store;
    private final ClusterView view = new ClusterView();
    private final PendingIndex pending = new PendingIndex();
    private final Set<String> cancelRequests = new HashSet<>();
    private final Dispatcher dispatcher;
    private final Recovery recovery;
    private final Cancellations cancellations;
    private final Retention retention;
    private final FolderSweep sweep;
    private final TypeRules typeRules;
    private final CompletableFuture<Long> ready = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CuratorCache workerCache;
    private final CuratorCache typeCache;
    private final WatchedFolder pendingFolder;
    private final WatchedFolder cancelFolder;
    private final PersistentWatcher assignmentWatcher;
    private final ItemBalancer items;
    private final CorruptNodes corrupt;
    private final WorkerRoster roster;
    private final WakeTimer wake;
    private final PendingAudit audit;
    private int sourcesInitialized;
    private boolean passQueued;

    LeaderScheduler(CuratorFramework client, DroverPaths paths, CoordinatorConfig config, LeadershipTerm term, CorruptNodes corrupt) {
        this.client = client;
        this.paths = paths;
        this.config = config;
        this.term = term;
        this.corrupt = corrupt;
        this.executor = Executors.newSingleThreadScheduledExecutor(new NamedThreads("drover-leader-" + config.id() + "-e" + term.epoch()));
        this.writer = new TermWriter(client, term, config.maxOpsPerMulti());
        this.transitions = new TaskTransitions(client, paths);
        this.store = new TaskStore(client, paths, StoreOptions.defaults());
        this.dispatcher = new Dispatcher(config.strategy());
        LeaderContext ctx = new LeaderContext(client, paths, term, writer, store, view, executor, corrupt);
        this.wake = new WakeTimer(executor, System::currentTimeMillis, this::requestPass);
        this.audit = new PendingAudit(ctx, entry -> {
            pending.add(entry, System.currentTimeMillis());
            requestPass();
        });
        this.roster = new WorkerRoster(ctx, corrupt, this::workersChanged, at -> wake.wakeAt(at, System.currentTimeMillis()));
        this.recovery = new Recovery(ctx, this::requestPass, this::suspend, config.assignmentTimeout().toMillis());
        this.retention = new Retention(ctx, config.retention().toMillis(), config.maxRetainedTasks());
        this.sweep = new FolderSweep(ctx, config.departedWorkerGrace().toMillis());
        this.typeRules = new TypeRules(ctx, this::isReady, this::requestPass);
        this.workerCache = CuratorCache.build(client, paths.workers());
        this.typeCache = CuratorCache.build(client, paths.types());
        this.pendingFolder = new WatchedFolder(client, paths.pending(), 2, executor, new WatchedFolder.Listener() {
            @Override
            public void upserted(String path, byte[] data, int version) {
                corrupt.guard(path, version, () -> onPending(path, data));
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
                corrupt.guard(path, version, () -> {
                    String taskId = Znodes.idName(ZnodeKind.CANCEL, path);
                    cancelRequests.add(taskId);
                    if (isReady()) {
                        cancellations.requested(taskId);
                    }
                });
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
                .forCreatesAndChanges((old, node) -> corrupt.guard(node.getPath(), -1, () -> roster.upserted(node)))
                .forDeletes(node -> corrupt.guard(node.getPath(), -1, () -> onWorkerGone(node.getPath())))
                .forInitialized(this::onSourceInitialized)
                .build(), executor);
        typeCache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((old, node) -> corrupt.guard(node.getPath(), -1, () -> onTypePolicy(node)))
                .forDeletes(node -> {
                    corrupt.cleared(node.getPath());
                    typeRules.remove(DroverPaths.nodeName(node.getPath()));
                    requestPass();
                })
                .forInitialized(this::onSourceInitialized)
                .build(), executor);
        assignmentWatcher.getListenable().addListener(event -> executor.execute(
                () -> corrupt.guard(String.valueOf(event.getPath()), -1, () -> onAssignmentEvent(event))));
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
        writer.close();
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
            writer.giveUp(e);
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
     * snapshot is harmless. A node whose name is not an id is no assignment and is skipped; one
     * whose data does not validate still holds its worker's slot until recovery, which reads the
     * task's status rather than the assignment, revokes it.
     */
    private void rebuildAssignments() throws Exception {
        BatchedReader reader = new BatchedReader(client, 100);
        Map<String, CompletableFuture<Optional<Versioned<byte[]>>>> reads = new HashMap<>();
        for (String workerId : client.getChildren().forPath(paths.assignments())) {
            if (!validName(ZnodeKind.FOLDER, paths.assignments(workerId))) {
                continue;
            }
            List<String> tasks = new ArrayList<>();
            for (String t : client.getChildren().forPath(paths.assignments(workerId))) {
                if (validName(ZnodeKind.ASSIGNMENT, paths.assignment(workerId, t))) {
                    tasks.add(t);
                    reads.put(paths.assignment(workerId, t), reader.read(paths.assignment(workerId, t)));
                }
            }
            view.replaceAssignments(workerId, tasks);
        }
        for (var e : reads.entrySet()) {
            Optional<Versioned<byte[]>> data = e.getValue().get(StoreOptions.ZK_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            data.ifPresent(d -> corrupt.guard(e.getKey(), d.version(), () -> {
                Assignment a = Znodes.assignment(e.getKey(), d.value());
                view.addAssignment(a.status().workerId(), a.taskId(), a.status().type(), a.status().attempt());
            }));
        }
    }

    private boolean validName(ZnodeKind kind, String path) {
        return corrupt.guard(path, 0, () -> Znodes.idName(kind, path));
    }

    private boolean isReady() {
        return ready.isDone() && term.isActive() && !closed.get();
    }

    // ---- watched state ---------------------------------------------------------------------------

    /**
     * A worker node vanishes when its session ends, even if the worker comes back at once with a new
     * session; so this one event covers both a dead worker and a worker whose claims died with its
     * session. The leader does not watch claims: that would cost two events per task.
     */
    private void workersChanged() {
        requestPass();
        items.requestPass();
    }

    private void onWorkerGone(String path) {
        if (path.equals(paths.workers())) {
            return;
        }
        String workerId = DroverPaths.nodeName(path);
        items.requestPass();
        if (roster.removed(path) && isReady()) {
            LOG.info("worker {} is gone; recovering its {} assignments", workerId, view.assignmentsOf(workerId).size());
            view.assignmentsOf(workerId).forEach(recovery::verify);
        }
    }

    private void onTypePolicy(ChildData node) {
        if (node.getPath().equals(paths.types())) {
            return;
        }
        typeRules.put(DroverPaths.nodeName(node.getPath()), Znodes.typePolicy(node.getPath(), node.getData()));
        corrupt.cleared(node.getPath());
        requestPass();
    }

    private void onPending(String path, byte[] data) {
        PendingEntry entry = Znodes.pending(path, data);
        corrupt.cleared(path);
        pending.add(entry, System.currentTimeMillis());
        if (cancelRequests.contains(entry.taskId())) {
            cancellations.requested(entry.taskId()); // e.g. a retry written while the cancel was on its way
        }
        requestPass();
    }

    private void onPendingGone(String path) {
        corrupt.cleared(path);
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
        if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
            corrupt.cleared(event.getPath());
        }
        Znodes.idName(ZnodeKind.FOLDER, paths.assignments(parts[0]));
        Znodes.idName(ZnodeKind.ASSIGNMENT, event.getPath());
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
        wake.wakeAt(nextDelayed, now);
        wake.wakeAt(typeRules.nextWakeMs(), now);
    }

    private void assign(PendingEntry entry, String workerId, long now) {
        TaskTransitions.Assigning assigning;
        try {
            assigning = transitions.assign(entry, workerId, term.epoch(), now);
        } catch (Exception e) {
            LOG.error("cannot build assignment of {}", entry.taskId(), e);
            return;
        }
        String type = entry.type();
        view.reserve(workerId, type);
        writer.submit(assigning.ops()).whenCompleteAsync((r, e) -> {
            view.release(workerId, type);
            if (e == null) {
                view.addAssignment(workerId, entry.taskId(), type, entry.status().attempt());
                roster.assignmentSucceeded(workerId);
                return;
            }
            if (writer.lost()) {
                return;
            }
            Throwable cause = TaskStore.unwrap(e);
            LOG.debug("assignment of task {} to {} rejected: {}", entry.taskId(), workerId, cause.toString());
            typeRules.assignFailed(type, entry.taskId());
            if (WorkerRoster.isWorkersFault(cause, paths.assignment(workerId, entry.taskId()))) {
                roster.assignmentFailed(workerId, paths.assignment(workerId, entry.taskId()), cause, System.currentTimeMillis());
                pendingFolder.refresh(paths.pending(entry)); // the task goes to another worker meanwhile
            } else {
                audit.recheck(paths.pending(entry), entry.taskId()); // the entry is gone, moved on, or inconsistent
            }
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
            sweep.sweep();
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
