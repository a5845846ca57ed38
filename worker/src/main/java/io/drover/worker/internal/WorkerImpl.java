package io.drover.worker.internal;

import io.drover.model.Assignment;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.TaskState;
import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import io.drover.protocol.CorruptNodes;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.MultiBatcher;
import io.drover.protocol.runtime.NamedThreads;
import io.drover.protocol.runtime.WatchedFolder;
import io.drover.store.Layout;
import io.drover.store.StoreOptions;
import io.drover.store.TaskStore;
import io.drover.worker.ItemHandler;
import io.drover.worker.TaskEvent;
import io.drover.worker.TaskHandler;
import io.drover.worker.Worker;
import io.drover.worker.WorkerConfig;
import io.drover.worker.WorkerListener;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker: lifecycle, connection states, its assignment folder and its slots. Decisions happen
 * on one event thread ({@code drover-worker-<id>-events}); handlers run on a pool of
 * {@code capacity} threads ({@code drover-worker-<id>-exec-N}); timeouts and progress use one
 * timer thread. What happens to one attempt is {@link AttemptFlow}'s business.
 */
public final class WorkerImpl implements Worker, AttemptFlow.Host {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerImpl.class);
    private static final String VERSION = Optional.ofNullable(WorkerImpl.class.getPackage().getImplementationVersion()).orElse("dev");

    private enum State { LATENT, STARTED, CLOSED }

    private final WorkerConfig config;
    private final Map<String, TaskHandler> handlers;
    private final CuratorFramework client;
    private final boolean ownsClient;
    private final DroverPaths paths;
    private final TaskStore store;
    private final MultiBatcher batcher;
    private final ExecutorService events;
    private final ThreadPoolExecutor exec;
    private final ScheduledExecutorService timer;
    private final AttemptFlow flow;
    private final Reconnection reconnection;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final CorruptNodes corrupt;
    private final List<WorkerListener> listeners = new CopyOnWriteArrayList<>();
    private final ConnectionStateListener connectionListener = (c, s) -> onConnectionState(s);
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
    /** Assignments seen but not yet claimed (no free slot, disconnected, or an older attempt still settling). Event thread only. */
    private final Map<String, Assignment> queued = new LinkedHashMap<>();
    /** Attempts that are over but whose handler has not returned: they still hold a pool thread. Event thread only. */
    private final Set<Attempt> zombies = new HashSet<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile WorkerState workerState = WorkerState.ACTIVE;
    private volatile boolean connected = true;
    private WatchedFolder assignmentFolder;
    private PersistentNode announcement;
    private CuratorCache drainRequest;
    /** Null without an item handler. */
    private final ItemAgent items;
    /** Set once the drain grace is over: a drain stops waiting for items to move elsewhere. Event thread only. */
    private boolean drainGraceOver;

    public WorkerImpl(WorkerConfig config, Map<String, TaskHandler> handlers, ItemHandler itemHandler, CuratorFramework client,
                      boolean ownsClient) {
        this.config = config;
        this.handlers = handlers;
        this.client = client;
        this.ownsClient = ownsClient;
        this.paths = new DroverPaths(config.cluster());
        this.store = new TaskStore(client, paths, StoreOptions.defaults());
        this.batcher = new MultiBatcher(client, List.of(), 600, StoreOptions.MAX_MULTI_BYTES);
        String prefix = "drover-worker-" + config.id();
        this.corrupt = new CorruptNodes("worker " + config.id());
        this.events = Executors.newSingleThreadExecutor(new NamedThreads(prefix + "-events"));
        this.exec = new ThreadPoolExecutor(config.capacity(), config.capacity(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), new NamedThreads(prefix + "-exec"));
        this.timer = Executors.newSingleThreadScheduledExecutor(new NamedThreads(prefix + "-timer"));
        this.flow = new AttemptFlow(config, handlers, client, paths, batcher, store, events, exec, timer, this);
        this.items = itemHandler == null ? null
                : new ItemAgent(config, itemHandler, client, paths, events, corrupt, timer, this::sessionId, this::checkDrained);
        this.reconnection = new Reconnection(client, paths, config.id(), events, flow, items);
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("worker " + config.id() + " already started or closed");
        }
        try {
            if (ownsClient) {
                client.start();
            }
            if (!client.blockUntilConnected((int) StoreOptions.ZK_CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("worker " + config.id() + " could not connect to ZooKeeper within " + StoreOptions.ZK_CALL_TIMEOUT.toSeconds() + " s");
            }
            Layout.ensure(client, paths);
            Layout.ensureWorkerFolder(client, paths.assignments(config.id())); // perhaps with work in it, under a reused id
            client.getConnectionStateListenable().addListener(connectionListener, events);
            assignmentFolder = new WatchedFolder(client, paths.assignments(config.id()), 1, events, new WatchedFolder.Listener() {
                @Override
                public void upserted(String path, byte[] data, int version) {
                    corrupt.guard(path, version, () -> onAssignment(path, data));
                }

                @Override
                public void removed(String path) {
                    corrupt.cleared(path);
                    corrupt.guard(path, -1, () -> onAssignmentRemoved(path));
                }
            });
            assignmentFolder.start();
            if (items != null) {
                items.start();
            }
            watchDrainRequests();
            announcement = new PersistentNode(client, CreateMode.EPHEMERAL, false, paths.worker(config.id()), announcementData());
            announcement.start();
            if (!announcement.waitForInitialCreate(StoreOptions.ZK_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("worker " + config.id() + " could not announce itself within " + StoreOptions.ZK_CALL_TIMEOUT.toSeconds() + " s");
            }
            LOG.info("worker {} started: capacity {}, types {}, labels {}", config.id(), config.capacity(), handlers.keySet(), config.labels());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting worker " + config.id(), e);
        } catch (Exception e) {
            close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("worker " + config.id() + " failed to start: " + e.getMessage(), e);
        }
    }

    /**
     * An operator asks for a drain by creating {@code drains/<id>} (HTTP API, CLI). A request left
     * by an earlier process under this id is removed first: a freshly started worker takes work.
     */
    private void watchDrainRequests() throws Exception {
        try {
            client.delete().forPath(paths.drain(config.id()));
            LOG.info("worker {} cleared a drain request left from an earlier run", config.id());
        } catch (KeeperException.NoNodeException none) {
            // the usual case
        }
        drainRequest = CuratorCache.build(client, paths.drain(config.id()), CuratorCache.Options.SINGLE_NODE_CACHE);
        drainRequest.listenable().addListener(CuratorCacheListener.builder().forCreates(node -> {
            LOG.info("worker {} was asked to drain", config.id());
            leaveWhenDrained();
        }).build(), events);
        drainRequest.start();
    }

    private byte[] announcementData() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown";
        }
        return DroverJson.encode(new WorkerInfo(WorkerInfo.FORMAT_VERSION, config.id(), config.capacity(),
                new ArrayList<>(handlers.keySet()), config.labels(), workerState, VERSION, host, System.currentTimeMillis(), items != null));
    }

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public WorkerState state() {
        return workerState;
    }

    @Override
    public int runningCount() {
        return attempts.size();
    }

    @Override
    public Set<String> servedItems() {
        return items == null ? Set.of() : items.served();
    }

    @Override
    public void addListener(WorkerListener listener) {
        listeners.add(listener);
    }

    @Override
    public CorruptNodes corruptNodes() {
        return corrupt;
    }

    @Override
    public CompletableFuture<Void> drain() {
        try {
            events.execute(this::startDraining);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closed meanwhile: close completes the future, since a closed worker runs nothing
        }
        return drained;
    }

    /** Events thread. */
    private void startDraining() {
        if (workerState == WorkerState.DRAINING) {
            return;
        }
        workerState = WorkerState.DRAINING;
        try {
            announcement.setData(announcementData());
        } catch (Exception e) {
            LOG.warn("worker {} could not announce DRAINING: {}", config.id(), e.toString());
        }
        checkDrained();
        if (!drained.isDone()) {
            try {
                timer.schedule(() -> {
                    try {
                        events.execute(this::handBackAfterDrainGrace);
                    } catch (java.util.concurrent.RejectedExecutionException closed) {
                        // closed before the grace was over: close handed everything back
                    }
                }, config.drainGrace().toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the worker is closing: close hands everything back
            }
        }
    }

    /** Events thread. What still runs when the drain grace is over goes back to pending, to run elsewhere. */
    private void handBackAfterDrainGrace() {
        if (drained.isDone() || state.get() != State.STARTED) {
            return;
        }
        drainGraceOver = true; // items the leader could not move elsewhere in time stay served until the worker leaves
        LOG.info("worker {}: drain grace of {} is over; handing back {} running tasks", config.id(), config.drainGrace(), attempts.size());
        queued.clear(); // assigned but never started: the leader requeues them when this worker leaves
        for (Attempt a : new ArrayList<>(attempts.values())) {
            flow.handBack(a);
        }
        checkDrained();
    }

    /** A drain the operator asked for ends with the worker leaving the cluster, from a thread of its own (close waits for ours). */
    private void leaveWhenDrained() {
        drain().thenRun(() -> {
            Thread leaving = new Thread(() -> {
                LOG.info("worker {} is drained and leaves the cluster", config.id());
                close();
            }, "drover-worker-" + config.id() + "-leave");
            leaving.start();
        });
    }

    private void checkDrained() {
        if (workerState == WorkerState.DRAINING && attempts.isEmpty() && queued.isEmpty()
                && (items == null || items.isEmpty() || drainGraceOver)) {
            drained.complete(null);
        }
    }

    // ---- connection states: one place, explicit -------------------------------------------------

    private void onConnectionState(ConnectionState s) {
        switch (s) {
            case SUSPENDED -> connected = false; // stop claiming; running handlers may still commit if the session survives
            case LOST -> {
                connected = false;
                if (items != null) {
                    items.sessionLost();
                }
                // The session is gone and with it our claims: every commit would be rejected.
                new ArrayList<>(attempts.values()).forEach(a -> flow.abandon(a, "ZooKeeper session lost", true));
            }
            case RECONNECTED -> {
                connected = true;
                timer.execute(reconnection::ensureFolders);
                if (items != null) {
                    items.reconnected();
                }
                reconnection.reverifyClaims(attempts.values(), sessionId());
                tryStart();
            }
            case CONNECTED, READ_ONLY -> connected = s == ConnectionState.CONNECTED;
        }
    }

    // ---- assignments and slots ---------------------------------------------------------------------

    private void onAssignment(String path, byte[] data) {
        String taskId = DroverPaths.nodeName(path);
        // A corrupt one is skipped (the guard reports it): the leader revokes it after the assignment timeout.
        Assignment assignment = Znodes.assignment(path, data);
        corrupt.cleared(path);
        Attempt current = attempts.get(taskId);
        if (current != null && current.assignment.statusVersion() == assignment.statusVersion()) {
            if (assignment.cancelRequested()) {
                flow.requestCancel(current);
            }
            return;
        }
        Assignment waiting = queued.get(taskId);
        if (waiting != null && waiting.statusVersion() > assignment.statusVersion()
                || current != null && current.assignment.statusVersion() > assignment.statusVersion()) {
            return; // older than what we hold
        }
        // New, or a newer assignment of a task whose older attempt is still settling: it waits for a slot.
        queued.put(taskId, assignment);
        tryStart();
    }

    private void onAssignmentRemoved(String path) {
        String taskId = DroverPaths.nodeName(path);
        queued.remove(taskId);
        Attempt a = attempts.get(taskId);
        if (a != null && a.phase == Attempt.Phase.RUNNING) {
            flow.abandon(a, "assignment revoked");
        }
        checkDrained();
    }

    /** A draining worker still runs what it was assigned before: the leader sends it nothing new. */
    private boolean accepting() {
        return state.get() == State.STARTED && connected;
    }

    private void tryStart() {
        var it = queued.values().iterator();
        while (accepting() && attempts.size() + zombies.size() < config.capacity() && it.hasNext()) {
            Assignment assignment = it.next();
            if (attempts.containsKey(assignment.taskId())) {
                continue;
            }
            it.remove();
            Attempt a = new Attempt(assignment, config.id(), flow::progressReported);
            attempts.put(a.taskId(), a);
            flow.claim(a);
        }
        checkDrained();
    }

    @Override
    public void finished(Attempt a, TaskEvent.Kind kind, TaskState taskState, String detail) {
        if (a.phase == Attempt.Phase.DONE) {
            return;
        }
        a.phase = Attempt.Phase.DONE;
        a.cancelTimers();
        attempts.remove(a.taskId(), a);
        a.settled.complete(null);
        if (a.handlerStarted && !a.handlerDone) {
            zombies.add(a); // the slot stays taken until the handler really returns
        }
        if (kind != TaskEvent.Kind.ABANDONED || a.runningStatus != null) {
            emit(kind, a, taskState, detail);
        } else {
            LOG.debug("worker {} drops task {}: {}", config.id(), a.taskId(), detail);
        }
        tryStart();
    }

    @Override
    public void handlerExited(Attempt a) {
        if (zombies.remove(a)) {
            tryStart(); // its pool thread is free again
        }
    }

    @Override
    public void emit(TaskEvent.Kind kind, Attempt a, TaskState taskState, String detail) {
        TaskEvent event = new TaskEvent(kind, a.taskId(), a.attempt(), a.token, taskState, detail);
        for (WorkerListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("worker listener failed on {}", event, e);
            }
        }
    }

    @Override
    public long sessionId() {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0L;
        }
    }

    // ---- shutdown --------------------------------------------------------------------------------

    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        if (previous == State.STARTED) {
            handBackAll();
        }
        client.getConnectionStateListenable().removeListener(connectionListener);
        drained.complete(null);
        closeQuietly(assignmentFolder);
        closeQuietly(drainRequest);
        if (items != null) {
            items.close(ownsClient); // served nodes go with the session (or are deleted); the handler is not asked to drop
        }
        if (previous == State.STARTED && connected) {
            try {
                client.delete().forPath(paths.drain(config.id())); // served its purpose
            } catch (KeeperException.NoNodeException none) {
                // never asked to drain: the usual case
            } catch (Exception e) {
                LOG.debug("could not remove drain request", e); // the next worker with this id clears it
            }
        }
        closeQuietly(announcement);
        batcher.close();
        store.close();
        events.shutdown();
        timer.shutdownNow();
        exec.shutdownNow();
        try {
            exec.awaitTermination(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            events.awaitTermination(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsClient) {
            client.close(); // ends the session now: whatever we did not hand back is requeued by the leader at once
        }
        LOG.info("worker {} stopped", config.id());
    }

    /** Hands back every running attempt in one go and waits (bounded) for ZooKeeper to accept. */
    private void handBackAll() {
        // Announce DRAINING first, synchronously: ZooKeeper orders it before the hand-backs, so the
        // leader sees this worker draining before it sees the tasks pending again, and sends them elsewhere.
        workerState = WorkerState.DRAINING;
        if (connected) {
            CompletableFuture<Void> announced = new CompletableFuture<>();
            try {
                client.setData().inBackground((c, e) -> announced.complete(null)).forPath(paths.worker(config.id()), announcementData());
                announced.get(Math.min(2_000, config.shutdownTimeout().toMillis()), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debug("worker {} could not announce DRAINING before stopping: {}", config.id(), e.toString());
            }
        } // cut off from ZooKeeper: nothing to announce, and the hand-backs below fail fast
        CompletableFuture<List<CompletableFuture<?>>> started = new CompletableFuture<>();
        events.execute(() -> {
            List<CompletableFuture<?>> writes = new ArrayList<>();
            queued.clear();
            for (Attempt a : new ArrayList<>(attempts.values())) {
                CompletableFuture<?> w = flow.handBack(a);
                if (w != null) {
                    writes.add(w);
                }
            }
            started.complete(writes);
        });
        try {
            List<CompletableFuture<?>> writes = started.get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                    .get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("worker {} could not hand back every task within {}: {}", config.id(), config.shutdownTimeout(), e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("close failed", e);
            }
        }
    }
}
