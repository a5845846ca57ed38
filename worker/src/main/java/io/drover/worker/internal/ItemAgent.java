package io.drover.worker.internal;

import io.drover.model.DroverPaths;
import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.protocol.CorruptNodes;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.NamedThreads;
import io.drover.protocol.runtime.WatchedFolder;
import io.drover.store.Layout;
import io.drover.worker.Item;
import io.drover.worker.ItemHandler;
import io.drover.worker.WorkerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of load/drop: watches {@code loadqueue/<self>} (one recursive watch) and runs
 * each command as an {@link ItemJob} on a pool of its own ({@code drover-worker-<id>-items-N}),
 * at most one job per item; a newer command for a busy item waits for it. Tracks what the handler
 * holds and what this session announces in {@code served/<self>/}.
 *
 * <p>Commands are dispatched on the worker's event thread; jobs run on item threads, where
 * blocking ZooKeeper calls are fine.
 */
final class ItemAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ItemAgent.class);

    private final String workerId;
    private final WorkerConfig.ItemSettings settings;
    private final CuratorFramework client;
    private final DroverPaths paths;
    private final ExecutorService events;
    private final ScheduledExecutorService timer;
    private final LongSupplier sessionId;
    private final Runnable changed;
    private final ExecutorService pool;
    private final WatchedFolder queue;
    private final CorruptNodes corrupt;
    private final ServedNodes servedNodes;
    private final ItemHandlerCall handlerCall;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Item id to its running job. Written on the event thread, read anywhere. */
    private final Map<String, ItemJob> jobs = new ConcurrentHashMap<>();
    /** A newer command for an item whose job still runs; event thread only. */
    private final Map<String, ItemJob.Cmd> waiting = new HashMap<>();
    /** Items the handler holds (loaded, not yet dropped), with the declaration loaded. */
    private final Map<String, ItemSpec> loaded = new ConcurrentHashMap<>();
    /** Items whose {@code served} node exists for the current session, as far as we know. */
    private final Set<String> announced = ConcurrentHashMap.newKeySet();
    /** Items held from an earlier session, to announce again once their running job is done; event thread only. */
    private final Set<String> toReannounce = new java.util.HashSet<>();
    private volatile long announcedSession;

    ItemAgent(WorkerConfig config, ItemHandler handler, CuratorFramework client, DroverPaths paths, ExecutorService events, CorruptNodes corrupt,
              ScheduledExecutorService timer, LongSupplier sessionId, Runnable changed) {
        this.workerId = config.id();
        this.settings = config.items();
        this.client = client;
        this.paths = paths;
        this.events = events;
        this.corrupt = corrupt;
        this.servedNodes = new ServedNodes(client, paths, workerId, sessionId);
        this.handlerCall = new ItemHandlerCall(handler, timer, settings.timeout(), closed::get);
        this.timer = timer;
        this.sessionId = sessionId;
        this.changed = changed;
        this.pool = Executors.newFixedThreadPool(settings.concurrency(), new NamedThreads("drover-worker-" + workerId + "-items"));
        this.queue = new WatchedFolder(client, paths.loadQueue(workerId), 1, events, new WatchedFolder.Listener() {
            @Override
            public void upserted(String path, byte[] data, int version) {
                corrupt.guard(path, version, () -> onCommand(path, data, version));
            }

            @Override
            public void removed(String path) {
                corrupt.cleared(path);
                corrupt.guard(path, -1, () -> onCommandRemoved(DroverPaths.nodeName(path)));
            }
        });
    }

    /** Blocking: creates this worker's folders, then starts watching its queue. */
    void start() throws Exception {
        ensureFolders();
        announcedSession = sessionId.getAsLong();
        queue.start();
    }

    Set<String> served() {
        return Set.copyOf(announced);
    }

    /** Nothing loaded, nothing in progress: what a drained worker waits for. */
    boolean isEmpty() {
        return loaded.isEmpty() && announced.isEmpty() && jobs.isEmpty();
    }

    // ---- connection states (called by the worker, on its event thread) -------------------------------

    /** The session is gone, and with it every {@code served} node. */
    void sessionLost() {
        announced.clear();
    }

    /** Creates or touches this worker's item folders. Blocking. */
    void ensureFolders() throws Exception {
        Layout.ensureWorkerFolder(client, paths.loadQueue(workerId));
        Layout.ensureWorkerFolder(client, paths.served(workerId));
    }

    /** Announces again what the handler still holds if the session changed (served nodes die with a session). */

    void reconnected() {
        long session = sessionId.getAsLong();
        if (session == announcedSession || closed.get()) {
            return;
        }
        announcedSession = session;
        announced.clear();
        for (Map.Entry<String, ItemSpec> held : loaded.entrySet()) {
            if (jobs.containsKey(held.getKey())) {
                toReannounce.add(held.getKey()); // after its job, which may well drop it
            } else {
                run(ItemJob.reannounce(this, held.getValue()));
            }
        }
    }

    // ---- commands (event thread) ---------------------------------------------------------------------

    private void onCommand(String path, byte[] data, int version) {
        LoadCommand command = Znodes.loadCommand(path, data); // a corrupt one is skipped: the leader replaces it
        corrupt.cleared(path);
        if (command.isFailed()) {
            return; // our own report, waiting for the leader to take it away
        }
        ItemJob.Cmd cmd = new ItemJob.Cmd(path, command, version);
        ItemJob running = jobs.get(command.itemId());
        if (running != null) {
            if (!cmd.equals(running.cmd)) {
                waiting.put(command.itemId(), cmd);
            }
            return;
        }
        run(new ItemJob(this, cmd));
    }

    private void onCommandRemoved(String itemId) {
        waiting.remove(itemId);
        ItemJob running = jobs.get(itemId);
        if (running != null) {
            running.revoked = true; // its commit fails and, for a load, undoes it
        }
    }

    private void run(ItemJob job) {
        if (closed.get()) {
            return;
        }
        jobs.put(job.id(), job);
        execute(job::run);
    }

    private void jobDone(ItemJob job) {
        String id = job.id();
        jobs.remove(id, job);
        ItemJob.Cmd next = waiting.remove(id);
        if (next != null) {
            run(new ItemJob(this, next));
        } else if (toReannounce.remove(id) && loaded.containsKey(id) && !announced.contains(id)) {
            run(ItemJob.reannounce(this, loaded.get(id)));
        }
        changed.run();
    }

    // ---- for jobs (any thread) -------------------------------------------------------------------------

    String workerId() {
        return workerId;
    }

    WorkerConfig.ItemSettings settings() {
        return settings;
    }

    CuratorFramework client() {
        return client;
    }

    DroverPaths paths() {
        return paths;
    }

    Map<String, ItemSpec> loaded() {
        return loaded;
    }

    Set<String> announced() {
        return announced;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** The job is over: the next command for its item may start. */
    void finish(ItemJob job) {
        try {
            events.execute(() -> jobDone(job));
        } catch (RejectedExecutionException closing) {
            // closed
        }
    }

    void schedule(Runnable r, long delayMs) {
        try {
            timer.schedule(() -> execute(r), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closed
        }
    }

    private void execute(Runnable r) {
        try {
            pool.execute(r);
        } catch (RejectedExecutionException closing) {
            // closed: nothing more to do
        }
    }

    ItemHandlerCall handlerCall() {
        return handlerCall;
    }

    ServedNodes servedNodes() {
        return servedNodes;
    }

    /**
     * Stops watching and running. With a client the worker does not own, the session lives on, so
     * the served nodes are removed here: the items are no longer held by a running worker.
     */
    void close(boolean sessionEnds) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        queue.close();
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!sessionEnds) {
            servedNodes.remove(Set.copyOf(announced));
            announced.clear();
        }
    }

    @Override
    public void close() {
        close(true);
    }
}
