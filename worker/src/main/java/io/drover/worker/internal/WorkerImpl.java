package io.drover.worker.internal;

import io.drover.model.DroverPaths;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.WorkerState;
import io.drover.protocol.CorruptNodes;
import io.drover.protocol.runtime.MultiBatcher;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker: its lifecycle and its assignment folder. Decisions happen on one event thread (see
 * {@link WorkerThreads}). What happens to one attempt is {@link AttemptFlow}'s business, the slots
 * are {@link Slots}', connection states {@link WorkerConnection}'s, the announcement is {@link
 * WorkerAnnouncement}'s and a drain is {@link DrainControl}'s.
 */
public final class WorkerImpl implements Worker, AttemptFlow.Host {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerImpl.class);

    private enum State {
        LATENT,
        STARTED,
        CLOSED
    }

    private final WorkerConfig config;
    private final Map<String, TaskHandler> handlers;
    private final CuratorFramework client;
    private final boolean ownsClient;
    private final DroverPaths paths;
    private final TaskStore store;
    private final MultiBatcher batcher;
    private final WorkerThreads threads;
    private final AttemptFlow flow;
    private final Slots slots;
    private final WorkerAnnouncement announcement;
    private final DrainControl drain;
    private final WorkerConnection connection;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final CorruptNodes corrupt;
    private final List<WorkerListener> listeners = new CopyOnWriteArrayList<>();
    private final ConnectionStateListener connectionListener;
    private WatchedFolder assignmentFolder;

    /** Null without an item handler. */
    private final ItemAgent items;

    public WorkerImpl(
            WorkerConfig config,
            Map<String, TaskHandler> handlers,
            ItemHandler itemHandler,
            CuratorFramework client,
            boolean ownsClient) {
        this.config = config;
        this.handlers = handlers;
        this.client = client;
        this.ownsClient = ownsClient;
        this.paths = new DroverPaths(config.cluster());
        this.store = new TaskStore(client, paths, StoreOptions.defaults());
        this.batcher = new MultiBatcher(client, List.of(), 600, StoreOptions.MAX_MULTI_BYTES);
        this.corrupt = new CorruptNodes("worker " + config.id());
        this.threads = WorkerThreads.create(config.id(), config.capacity());
        WorkerContext ctx =
                new WorkerContext(
                        config, client, paths, store, batcher, threads, corrupt, this::sessionId);
        this.flow = new AttemptFlow(ctx, handlers, this);
        this.slots = new Slots(config, flow, this, this::accepting, this::checkDrained);
        this.items =
                itemHandler == null ? null : new ItemAgent(ctx, itemHandler, this::checkDrained);
        this.announcement =
                new WorkerAnnouncement(client, paths, config, handlers.keySet(), items != null);
        this.drain =
                new DrainControl(
                        ctx,
                        announcement,
                        flow,
                        slots,
                        items,
                        () -> state.get() == State.STARTED,
                        this::close);
        this.connection = new WorkerConnection(ctx, flow, slots, items);
        this.connectionListener = (c, s) -> connection.onConnectionState(s);
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
            if (!client.blockUntilConnected(
                    (int) StoreOptions.ZK_CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "worker "
                                + config.id()
                                + " could not connect to ZooKeeper within "
                                + StoreOptions.ZK_CALL_TIMEOUT.toSeconds()
                                + " s");
            }
            Layout.ensure(client, paths);
            Layout.ensureWorkerFolder(
                    client,
                    paths.assignments(config.id())); // perhaps with work in it, under a reused id
            client.getConnectionStateListenable().addListener(connectionListener, threads.events());
            assignmentFolder =
                    slots.watch(client, paths.assignments(config.id()), threads.events(), corrupt);
            assignmentFolder.start();
            if (items != null) {
                items.start();
            }
            drain.watchRequests();
            announcement.start();
            LOG.info(
                    "worker {} started: capacity {}, types {}, labels {}",
                    config.id(),
                    config.capacity(),
                    handlers.keySet(),
                    config.labels());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting worker " + config.id(), e);
        } catch (Exception e) {
            close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(
                    "worker " + config.id() + " failed to start: " + e.getMessage(), e);
        }
    }

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public WorkerState state() {
        return announcement.state();
    }

    @Override
    public int runningCount() {
        return slots.runningCount();
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
    public void removeListener(WorkerListener listener) {
        listeners.remove(listener);
    }

    @Override
    public CorruptNodes corruptNodes() {
        return corrupt;
    }

    @Override
    public CompletableFuture<Void> drain() {
        return drain.drain();
    }

    /** New attempts may start: started and connected. */
    private boolean accepting() {
        WorkerConnection c = connection;
        return state.get() == State.STARTED
                && c != null
                && c.connected(); // null only while the constructor runs
    }

    private void checkDrained() {
        DrainControl d = drain;
        if (d != null) { // null only while the constructor runs
            d.check();
        }
    }

    @Override
    public void finished(Attempt a, TaskEvent.Kind kind, TaskState taskState, String detail) {
        slots.finished(a, kind, taskState, detail);
    }

    @Override
    public void handlerExited(Attempt a) {
        slots.handlerExited(a);
    }

    @Override
    public void emit(TaskEvent.Kind kind, Attempt a, TaskState taskState, String detail) {
        TaskStatus status =
                a.committed != null
                        ? a.committed
                        : a.runningStatus != null ? a.runningStatus : a.assignment.status();
        TaskEvent event =
                new TaskEvent(
                        kind,
                        a.taskId(),
                        a.attempt(),
                        a.token,
                        taskState,
                        detail,
                        status,
                        a.spec == null ? 0 : a.spec.notBeforeMs());
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

    // ---- shutdown
    // --------------------------------------------------------------------------------

    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        if (previous == State.STARTED) {
            HandBackOnStop.run(
                    config, announcement, slots, flow, threads.events(), connection.connected());
        }
        client.getConnectionStateListenable().removeListener(connectionListener);
        if (assignmentFolder != null) {
            assignmentFolder.close();
        }
        drain.close(previous == State.STARTED && connection.connected());
        if (items != null) {
            // served nodes go with the session (or are deleted); the handler is not asked to drop
            items.close(ownsClient);
        }
        announcement.close();
        batcher.close();
        store.close();
        threads.shutdown(config.shutdownTimeout());
        if (ownsClient) {
            // ends the session now: whatever we did not hand back is requeued by the leader at once
            client.close();
        }
        LOG.info("worker {} stopped", config.id());
    }
}
