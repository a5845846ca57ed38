package io.drover.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.Assignment;
import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import io.drover.model.internal.MultiBatcher;
import io.drover.model.internal.NamedThreads;
import io.drover.model.internal.WatchedFolder;
import io.drover.store.Layout;
import io.drover.store.StoreOptions;
import io.drover.store.TaskStore;
import io.drover.worker.TaskEvent;
import io.drover.worker.TaskHandler;
import io.drover.worker.Worker;
import io.drover.worker.WorkerConfig;
import io.drover.worker.WorkerListener;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker. Decisions happen on one event thread ({@code drover-worker-<id>-events}); handlers
 * run on a pool of {@code capacity} threads ({@code drover-worker-<id>-exec-N}). ZooKeeper callbacks
 * only hand results over to the event thread.
 */
public final class WorkerImpl implements Worker {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerImpl.class);
    private static final String VERSION = Optional.ofNullable(WorkerImpl.class.getPackage().getImplementationVersion()).orElse("dev");
    private static final int MAX_ERROR_CHARS = 2_000;

    private enum State { LATENT, STARTED, CLOSED }

    private final WorkerConfig config;
    private final Map<String, TaskHandler> handlers;
    private final CuratorFramework client;
    private final boolean ownsClient;
    private final DroverPaths paths;
    private final AttemptOps ops;
    private final TaskStore store;
    private final MultiBatcher batcher;
    private final ExecutorService events;
    private final ThreadPoolExecutor exec;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final List<WorkerListener> listeners = new CopyOnWriteArrayList<>();
    private final ConnectionStateListener connectionListener = (c, s) -> onConnectionState(s);
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
    /** Assignments seen but not yet claimed (over capacity, or disconnected); event thread only. */
    private final Map<String, Assignment> queued = new LinkedHashMap<>();
    /** Abandoned attempts whose handler has not returned yet: they still hold a pool thread. Event thread only. */
    private final java.util.Set<Attempt> zombies = new java.util.HashSet<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile WorkerState workerState = WorkerState.ACTIVE;
    private volatile boolean connected = true;
    private WatchedFolder assignmentFolder;
    private PersistentNode announcement;

    public WorkerImpl(WorkerConfig config, Map<String, TaskHandler> handlers, CuratorFramework client, boolean ownsClient) {
        this.config = config;
        this.handlers = handlers;
        this.client = client;
        this.ownsClient = ownsClient;
        this.paths = new DroverPaths(config.cluster());
        this.ops = new AttemptOps(client, paths);
        this.store = new TaskStore(client, paths, StoreOptions.defaults());
        this.batcher = new MultiBatcher(client, List.of(), 600, StoreOptions.MAX_MULTI_BYTES);
        String prefix = "drover-worker-" + config.id();
        this.events = Executors.newSingleThreadExecutor(new NamedThreads(prefix + "-events"));
        this.exec = new ThreadPoolExecutor(config.capacity(), config.capacity(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), new NamedThreads(prefix + "-exec"));
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
            if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("worker " + config.id() + " could not connect to ZooKeeper within 30 s");
            }
            Layout.ensure(client, paths);
            try {
                client.create().creatingParentsIfNeeded().forPath(paths.assignments(config.id()));
            } catch (KeeperException.NodeExistsException known) {
                // a worker that restarts under the same id finds its folder, perhaps with work in it
            }
            client.getConnectionStateListenable().addListener(connectionListener, events);
            assignmentFolder = new WatchedFolder(client, paths.assignments(config.id()), 1, events, new WatchedFolder.Listener() {
                @Override
                public void upserted(String path, byte[] data, int version) {
                    onAssignment(path, data);
                }

                @Override
                public void removed(String path) {
                    onAssignmentRemoved(path);
                }
            });
            assignmentFolder.start();
            announcement = new PersistentNode(client, CreateMode.EPHEMERAL, false, paths.worker(config.id()), announcementData());
            announcement.start();
            if (!announcement.waitForInitialCreate(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("worker " + config.id() + " could not announce itself within 30 s");
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

    private byte[] announcementData() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown";
        }
        return DroverJson.encode(new WorkerInfo(WorkerInfo.FORMAT_VERSION, config.id(), config.capacity(),
                new ArrayList<>(handlers.keySet()), config.labels(), workerState, VERSION, host, System.currentTimeMillis()));
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
    public void addListener(WorkerListener listener) {
        listeners.add(listener);
    }

    @Override
    public CompletableFuture<Void> drain() {
        events.execute(() -> {
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
        });
        return drained;
    }

    private void checkDrained() {
        if (workerState == WorkerState.DRAINING && attempts.isEmpty() && queued.isEmpty()) {
            drained.complete(null);
        }
    }

    // ---- connection states: one place, explicit -------------------------------------------------

    private void onConnectionState(ConnectionState s) {
        switch (s) {
            case SUSPENDED -> connected = false; // stop starting tasks; running ones may still commit if the session survives
            case LOST -> {
                connected = false;
                // The session is gone and with it our claims: every commit would be rejected.
                new ArrayList<>(attempts.values()).forEach(a -> abandon(a, "ZooKeeper session lost"));
            }
            case RECONNECTED -> {
                connected = true;
                reverifyClaims();
                tryStart();
            }
            case CONNECTED, READ_ONLY -> connected = s == ConnectionState.CONNECTED;
        }
    }

    /** After a reconnect, trust nothing we remember: an attempt runs on only if its claim is still ours. */
    private void reverifyClaims() {
        long session = sessionId();
        for (Attempt a : new ArrayList<>(attempts.values())) {
            if (a.phase != Attempt.Phase.RUNNING) {
                continue;
            }
            try {
                client.checkExists().inBackground((c, e) -> events.execute(() -> {
                    Stat stat = e.getStat();
                    if (stat == null || stat.getEphemeralOwner() != session) {
                        abandon(a, "claim no longer held after reconnect");
                    }
                })).forPath(paths.claim(a.taskId()));
            } catch (Exception e) {
                abandon(a, "cannot verify claim after reconnect: " + e);
            }
        }
    }

    // ---- assignments -----------------------------------------------------------------------------

    private void onAssignment(String path, byte[] data) {
        String taskId = DroverPaths.nodeName(path);
        Assignment assignment;
        try {
            assignment = DroverJson.decode(path, data, Assignment.class);
        } catch (CorruptZnodeException e) {
            // The leader revokes it after the assignment timeout and sends the task elsewhere.
            LOG.error("worker {} ignores an assignment it cannot read: {}", config.id(), e.getMessage());
            return;
        }
        Assignment waiting = queued.get(taskId);
        Attempt current = attempts.get(taskId);
        if ((waiting != null && waiting.statusVersion() >= assignment.statusVersion())
                || (current != null && current.assignment.statusVersion() >= assignment.statusVersion())) {
            return; // seen already
        }
        // A newer assignment of a task whose older attempt is still settling waits in the queue for it.
        queued.put(taskId, assignment);
        tryStart();
    }

    private void onAssignmentRemoved(String path) {
        String taskId = DroverPaths.nodeName(path);
        queued.remove(taskId);
        Attempt a = attempts.get(taskId);
        if (a != null && a.phase == Attempt.Phase.RUNNING) {
            abandon(a, "assignment revoked");
        }
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
            claim(new Attempt(assignment, config.id()));
        }
        checkDrained();
    }

    private void claim(Attempt a) {
        attempts.put(a.taskId(), a);
        TaskStatus running = a.assignment.status().running(System.currentTimeMillis());
        List<CuratorOp> claimOps;
        try {
            claimOps = ops.claim(a, running);
        } catch (Exception e) {
            forget(a, "cannot build claim: " + e);
            return;
        }
        CompletableFuture<Optional<TaskSpec>> spec = a.assignment.spec() != null
                ? CompletableFuture.completedFuture(Optional.of(a.assignment.spec())) : store.spec(a.taskId());
        batcher.submit(claimOps).whenCompleteAsync((results, error) -> {
            if (error == null) {
                onClaimed(a, running, results.get(2).getResultStat(), spec);
            } else {
                onClaimFailed(a, running, TaskStore.unwrap(error), spec);
            }
        }, events);
    }

    private void onClaimed(Attempt a, TaskStatus running, Stat statusStat, CompletableFuture<Optional<TaskSpec>> spec) {
        a.runningStatus = running;
        a.runningVersion = statusStat.getVersion();
        a.token = statusStat.getMzxid();
        if (a.isCancelled()) {
            // Abandoned while the claim was in flight, yet the claim went through (in a new session):
            // nobody runs it here, so give it back rather than leave a live claim idle.
            spec.whenCompleteAsync((s, e) -> release(a, s), events);
            return;
        }
        spec.whenCompleteAsync((s, e) -> run(a, s, e), events);
    }

    /**
     * A failed claim is usually a revoked assignment. But a multi retried after a connection loss can
     * fail on its own first success, so look: if the claim is ours and the status says we run it,
     * we do.
     */
    private void onClaimFailed(Attempt a, TaskStatus running, Throwable error, CompletableFuture<Optional<TaskSpec>> spec) {
        if (!(error instanceof KeeperException.NodeExistsException || error instanceof KeeperException.BadVersionException)) {
            forget(a, "claim rejected: " + error);
            return;
        }
        store.status(a.taskId()).thenCombine(claimStat(a.taskId()), (status, claim) -> {
            boolean ours = claim != null && claim.getEphemeralOwner() == sessionId() && status.isPresent()
                    && status.get().value().state() == TaskState.RUNNING
                    && config.id().equals(status.get().value().workerId())
                    && status.get().value().attempt() == a.attempt();
            return ours ? new Object[] {status.get(), claim} : null;
        }).whenCompleteAsync((ours, e) -> {
            if (ours == null) {
                forget(a, "claim rejected: " + error);
                return;
            }
            @SuppressWarnings("unchecked")
            io.drover.model.Versioned<TaskStatus> status = (io.drover.model.Versioned<TaskStatus>) ours[0];
            // Claim and RUNNING status were written by one multi, so the claim's czxid is that multi's zxid.
            onClaimed(a, status.value(), withVersionAndZxid(status.version(), ((Stat) ours[1]).getCzxid()), spec);
        }, events);
    }

    private static Stat withVersionAndZxid(int version, long zxid) {
        Stat stat = new Stat();
        stat.setVersion(version);
        stat.setMzxid(zxid);
        return stat;
    }

    private CompletableFuture<Stat> claimStat(String taskId) {
        CompletableFuture<Stat> f = new CompletableFuture<>();
        try {
            client.checkExists().inBackground((c, e) -> f.complete(e.getStat())).forPath(paths.claim(taskId));
        } catch (Exception e) {
            f.complete(null);
        }
        return f;
    }

    /** Gives a claimed attempt back without running it; if the spec cannot be read, drops the claim and lets the leader recover it. */
    private void release(Attempt a, Optional<TaskSpec> spec) {
        try {
            List<CuratorOp> release = spec != null && spec.isPresent()
                    ? ops.handBack(withSpec(a, spec.get()))
                    : List.of(client.transactionOp().delete().forPath(paths.claim(a.taskId())));
            batcher.submit(release).whenComplete((r, e) -> LOG.info("worker {} released task {} it claimed after abandoning it ({})",
                    config.id(), a.taskId(), e == null ? "ok" : TaskStore.unwrap(e).toString()));
        } catch (Exception e) {
            LOG.warn("worker {} cannot release task {}: {}", config.id(), a.taskId(), e.toString());
        }
    }

    private static Attempt withSpec(Attempt a, TaskSpec spec) {
        a.spec = spec;
        return a;
    }

    private void run(Attempt a, Optional<TaskSpec> spec, Throwable readError) {
        if (a.isCancelled() || a.phase != Attempt.Phase.CLAIMING) {
            return;
        }
        a.phase = Attempt.Phase.RUNNING;
        emit(TaskEvent.Kind.STARTED, a, null, null);
        if (readError != null || spec.isEmpty()) {
            String why = readError != null ? TaskStore.unwrap(readError).getMessage() : "task spec is missing";
            commit(a, TaskState.FAILED, null, "cannot read task spec: " + why);
            return;
        }
        a.spec = spec.get();
        TaskHandler handler = handlers.get(a.type());
        if (handler == null) {
            commit(a, TaskState.FAILED, null, "worker " + config.id() + " has no handler for type " + a.type());
            return;
        }
        a.handlerFuture = exec.submit(() -> execute(a, handler));
    }

    private void execute(Attempt a, TaskHandler handler) {
        a.handlerStarted = true;
        try {
            runHandler(a, handler);
        } finally {
            a.handlerDone = true;
            events.execute(() -> {
                if (zombies.remove(a)) {
                    tryStart(); // its pool thread is free again
                }
            });
        }
    }

    private void runHandler(Attempt a, TaskHandler handler) {
        Object result;
        try {
            result = handler.handle(a);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            events.execute(() -> onHandlerFailed(a, "interrupted"));
            return;
        } catch (Exception | LinkageError | AssertionError e) {
            String error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            events.execute(() -> onHandlerFailed(a, error));
            return;
        }
        JsonNode value;
        try {
            value = result == null ? null : DroverJson.mapper().valueToTree(result);
        } catch (IllegalArgumentException e) {
            events.execute(() -> onHandlerFailed(a, "result is not JSON-encodable: " + e.getMessage()));
            return;
        }
        events.execute(() -> commit(a, TaskState.SUCCEEDED, value, null));
    }

    private void onHandlerFailed(Attempt a, String error) {
        if (a.isCancelled()) {
            return; // abandoned or handed back: nothing to commit
        }
        commit(a, TaskState.FAILED, null, error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) + "..." : error);
    }

    private void commit(Attempt a, TaskState terminal, JsonNode result, String error) {
        if (a.isCancelled() || a.phase != Attempt.Phase.RUNNING) {
            return;
        }
        a.phase = Attempt.Phase.COMMITTING;
        TaskStatus finished = a.runningStatus.finished(terminal, a.token, result, error, System.currentTimeMillis());
        byte[] data = DroverJson.encode(finished);
        if (data.length > config.maxResultBytes()) {
            finished = a.runningStatus.finished(TaskState.FAILED, a.token, null, "result is " + data.length
                    + " bytes, over the worker's maxResultBytes of " + config.maxResultBytes(), System.currentTimeMillis());
            data = DroverJson.encode(finished);
        }
        TaskStatus written = finished;
        List<CuratorOp> commitOps;
        try {
            commitOps = ops.commit(a, data);
        } catch (Exception e) {
            forget(a, "cannot build commit: " + e);
            return;
        }
        batcher.submit(commitOps).whenCompleteAsync((r, e) -> {
            if (e == null) {
                finish(a, TaskEvent.Kind.COMMITTED, written.state(), null);
            } else {
                onCommitFailed(a, written, TaskStore.unwrap(e));
            }
        }, events);
    }

    /** After a connection loss the commit may have applied before the error; the status tells. */
    private void onCommitFailed(Attempt a, TaskStatus written, Throwable error) {
        onCommitFailed(a, written, error, 3);
    }

    private void onCommitFailed(Attempt a, TaskStatus written, Throwable error, int readsLeft) {
        store.status(a.taskId()).whenCompleteAsync((status, e) -> {
            if (e != null && readsLeft > 0) {
                onCommitFailed(a, written, error, readsLeft - 1);
                return;
            }
            boolean applied = e == null && status.isPresent() && sameCommit(status.get().value(), written);
            if (applied) {
                finish(a, TaskEvent.Kind.COMMITTED, written.state(), null);
            } else if (e != null) {
                finish(a, TaskEvent.Kind.ABANDONED, null, "commit outcome unknown: " + TaskStore.unwrap(e));
            } else {
                LOG.warn("worker {}: stale commit of task {} attempt {} rejected by ZooKeeper ({})", config.id(), a.taskId(), a.attempt(), error.toString());
                finish(a, TaskEvent.Kind.REJECTED, written.state(), error.toString());
            }
        }, events);
    }

    /** Compares what identifies a commit; JSON results may not survive a round trip bit for bit (int vs long). */
    private static boolean sameCommit(TaskStatus read, TaskStatus written) {
        return read.state() == written.state() && read.fencingToken() == written.fencingToken()
                && read.finishedAtMs() == written.finishedAtMs() && read.attempt() == written.attempt()
                && java.util.Objects.equals(read.workerId(), written.workerId());
    }

    private void abandon(Attempt a, String why) {
        if (a.phase == Attempt.Phase.DONE || a.phase == Attempt.Phase.COMMITTING || a.phase == Attempt.Phase.HANDING_BACK) {
            return; // our own write is in flight and settles the attempt
        }
        a.cancel();
        if (a.handlerStarted && !a.handlerDone) {
            zombies.add(a); // the slot stays taken until the handler really returns
        }
        LOG.info("worker {} abandons task {} attempt {}: {}", config.id(), a.taskId(), a.attempt(), why);
        finish(a, TaskEvent.Kind.ABANDONED, null, why);
    }

    private void forget(Attempt a, String why) {
        LOG.debug("worker {} drops task {}: {}", config.id(), a.taskId(), why);
        a.phase = Attempt.Phase.DONE;
        attempts.remove(a.taskId(), a);
        tryStart();
        checkDrained();
    }

    private void finish(Attempt a, TaskEvent.Kind kind, TaskState state, String detail) {
        if (a.phase == Attempt.Phase.DONE) {
            return;
        }
        a.phase = Attempt.Phase.DONE;
        attempts.remove(a.taskId(), a);
        emit(kind, a, state, detail);
        tryStart();
        checkDrained();
    }

    private void emit(TaskEvent.Kind kind, Attempt a, TaskState state, String detail) {
        TaskEvent event = new TaskEvent(kind, a.taskId(), a.attempt(), a.token, state, detail);
        for (WorkerListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("worker listener failed on {}", event, e);
            }
        }
    }

    private long sessionId() {
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
        closeQuietly(assignmentFolder);
        closeQuietly(announcement);
        batcher.close();
        store.close();
        events.shutdown();
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
        try {
            client.setData().forPath(paths.worker(config.id()), announcementData());
        } catch (Exception e) {
            LOG.debug("worker {} could not announce DRAINING before stopping: {}", config.id(), e.toString());
        }
        CompletableFuture<List<CompletableFuture<?>>> started = new CompletableFuture<>();
        events.execute(() -> {
            List<CompletableFuture<?>> writes = new ArrayList<>();
            queued.clear();
            for (Attempt a : new ArrayList<>(attempts.values())) {
                if (a.phase != Attempt.Phase.RUNNING || a.spec == null) {
                    continue;
                }
                a.cancel();
                a.phase = Attempt.Phase.HANDING_BACK;
                try {
                    CompletableFuture<List<CuratorTransactionResult>> w = batcher.submit(ops.handBack(a));
                    writes.add(w.whenCompleteAsync((r, e) -> {
                        if (e == null) {
                            finish(a, TaskEvent.Kind.HANDED_BACK, null, "worker stopping");
                        } else {
                            finish(a, TaskEvent.Kind.ABANDONED, null, "hand-back rejected: " + TaskStore.unwrap(e));
                        }
                    }, events));
                } catch (Exception e) {
                    LOG.warn("worker {} cannot hand back task {}: {}", config.id(), a.taskId(), e.toString());
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
