package io.drover.worker.internal;

import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.model.ServedItem;
import io.drover.model.internal.NamedThreads;
import io.drover.model.internal.WatchedFolder;
import io.drover.worker.Item;
import io.drover.worker.ItemHandler;
import io.drover.worker.WorkerConfig;
import java.util.HashMap;
import java.util.List;
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
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of load/drop: watches {@code loadqueue/<self>} (one recursive watch), runs the
 * {@link ItemHandler} for each command on a pool of its own ({@code drover-worker-<id>-items-N}),
 * then in one multi deletes the command (checking its version) and creates or deletes the
 * ephemeral {@code served/<self>/<item>}. A command the leader removed meanwhile fails that multi,
 * and a load nobody wants any more is undone.
 *
 * <p>Commands are dispatched on the worker's event thread; a job (handler call, then commit) runs
 * on an item thread, where blocking ZooKeeper calls are fine. At most one job per item at a time.
 */
final class ItemAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ItemAgent.class);
    private static final long COMMIT_RETRY_MS = 1_000;

    private final String workerId;
    private final WorkerConfig.ItemSettings settings;
    private final ItemHandler handler;
    private final CuratorFramework client;
    private final DroverPaths paths;
    private final ExecutorService events;
    private final ScheduledExecutorService timer;
    private final LongSupplier sessionId;
    private final Runnable changed;
    private final ExecutorService pool;
    private final WatchedFolder queue;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Item id to its running job. Written on the event thread, read anywhere. */
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** A newer command for an item whose job still runs; event thread only. */
    private final Map<String, Cmd> waiting = new HashMap<>();
    /** Items the handler holds (loaded, not yet dropped). */
    private final Map<String, ItemSpec> loaded = new ConcurrentHashMap<>();
    /** Items whose {@code served} node exists for the current session, as far as we know. */
    private final Set<String> announced = ConcurrentHashMap.newKeySet();
    private volatile long announcedSession;

    private record Cmd(String path, LoadCommand command, int version) {}

    ItemAgent(WorkerConfig config, ItemHandler handler, CuratorFramework client, DroverPaths paths, ExecutorService events,
              ScheduledExecutorService timer, LongSupplier sessionId, Runnable changed) {
        this.workerId = config.id();
        this.settings = config.items();
        this.handler = handler;
        this.client = client;
        this.paths = paths;
        this.events = events;
        this.timer = timer;
        this.sessionId = sessionId;
        this.changed = changed;
        this.pool = Executors.newFixedThreadPool(settings.concurrency(), new NamedThreads("drover-worker-" + workerId + "-items"));
        this.queue = new WatchedFolder(client, paths.loadQueue(workerId), 1, events, new WatchedFolder.Listener() {
            @Override
            public void upserted(String path, byte[] data, int version) {
                onCommand(path, data, version);
            }

            @Override
            public void removed(String path) {
                onCommandRemoved(DroverPaths.nodeName(path));
            }
        });
    }

    /** Blocking: creates this worker's folders, then starts watching its queue. */
    void start() throws Exception {
        for (String folder : List.of(paths.loadQueue(workerId), paths.served(workerId))) {
            try {
                client.create().creatingParentsIfNeeded().forPath(folder);
            } catch (KeeperException.NodeExistsException known) {
                // a worker that restarts under the same id finds them
            }
        }
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

    /** Announces again what the handler still holds if the session changed (served nodes die with a session). */
    void reconnected() {
        long session = sessionId.getAsLong();
        if (session == announcedSession || closed.get()) {
            return;
        }
        announcedSession = session;
        announced.clear();
        execute(() -> loaded.forEach((id, spec) -> {
            if (!jobs.containsKey(id)) {
                try {
                    announce(id);
                    announced.add(id);
                    LOG.info("worker {} announced item {} again in its new session", workerId, id);
                } catch (Exception e) {
                    LOG.warn("worker {} could not announce item {} again: {} (the leader loads it elsewhere)", workerId, id, e.toString());
                }
            }
        }));
    }

    // ---- commands (event thread) ---------------------------------------------------------------------

    private void onCommand(String path, byte[] data, int version) {
        LoadCommand command;
        try {
            command = DroverJson.decode(path, data, LoadCommand.class);
            if (command.action() == null || command.item() == null || !DroverPaths.nodeName(path).equals(command.itemId())) {
                throw new CorruptZnodeException(path, "a command needs an action and the item it names", null);
            }
        } catch (CorruptZnodeException e) {
            LOG.error("worker {} ignores a load/drop command it cannot read (the leader replaces it): {}", workerId, e.getMessage());
            return;
        }
        if (command.isFailed()) {
            return; // our own report, waiting for the leader to take it away
        }
        Cmd cmd = new Cmd(path, command, version);
        Job running = jobs.get(command.itemId());
        if (running != null) {
            if (!running.cmd.equals(cmd)) {
                waiting.put(command.itemId(), cmd);
            }
            return;
        }
        startJob(cmd);
    }

    private void onCommandRemoved(String itemId) {
        waiting.remove(itemId);
        Job running = jobs.get(itemId);
        if (running != null) {
            running.revoked = true; // its commit fails and, for a load, undoes it
        }
    }

    private void startJob(Cmd cmd) {
        if (closed.get()) {
            return;
        }
        Job job = new Job(cmd);
        jobs.put(cmd.command().itemId(), job);
        execute(job::run);
    }

    private void jobDone(Job job) {
        String id = job.cmd.command().itemId();
        jobs.remove(id, job);
        Cmd next = waiting.remove(id);
        if (next != null) {
            startJob(next);
        }
        changed.run();
    }

    private void execute(Runnable r) {
        try {
            pool.execute(r);
        } catch (RejectedExecutionException closing) {
            // closed: nothing more to do
        }
    }

    private void onEvents(Runnable r) {
        try {
            events.execute(r);
        } catch (RejectedExecutionException closing) {
            // closed
        }
    }

    // ---- one command, on an item thread ----------------------------------------------------------------

    private final class Job {
        final Cmd cmd;
        final Item item;
        volatile boolean revoked;
        int attempts;
        String lastError;

        Job(Cmd cmd) {
            this.cmd = cmd;
            ItemSpec spec = cmd.command().item();
            this.item = new Item(spec.id(), spec.spec(), spec.labels(), workerId, cmd.command().epoch());
        }

        String id() {
            return item.id();
        }

        void run() {
            if (closed.get()) {
                return;
            }
            boolean load = cmd.command().action() == LoadCommand.Action.LOAD;
            if (load ? !loaded.containsKey(id()) && !call(true) : loaded.containsKey(id()) && !call(false)) {
                return; // retry scheduled, or given up and reported
            }
            commit(load);
        }

        /** One handler call; false if it failed and the job was rescheduled or ended. */
        private boolean call(boolean load) {
            if (load && revoked) {
                finish();
                return false;
            }
            attempts++;
            try {
                withTimeout(load);
                if (load) {
                    loaded.put(id(), cmd.command().item());
                } else {
                    loaded.remove(id());
                }
                return true;
            } catch (InterruptedException e) {
                if (closed.get()) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                lastError = (load ? "load" : "drop") + " of " + id() + " timed out after " + settings.timeout().toMillis() + " ms";
            } catch (Exception e) {
                lastError = e.toString();
            }
            if (attempts < settings.maxAttempts() && !(load && revoked)) {
                long backoff = settings.retryBackoff().toMillis() << Math.min(attempts - 1, 20);
                LOG.warn("worker {}: {} of item {} failed (attempt {} of {}): {}; retrying in {} ms", workerId, load ? "load" : "drop", id(),
                        attempts, settings.maxAttempts(), lastError, backoff);
                schedule(this::run, backoff);
                return false;
            }
            if (load) {
                LOG.error("worker {} gives up loading item {} after {} attempts: {}; the leader tries another worker", workerId, id(), attempts,
                        lastError);
                reportFailure();
                finish();
                return false;
            }
            // A drop that keeps failing still unannounces: the worker must not count as a replica.
            LOG.error("worker {} could not drop item {} after {} attempts ({}); unannouncing it anyway", workerId, id(), attempts, lastError);
            loaded.remove(id());
            return true;
        }

        private void withTimeout(boolean load) throws Exception {
            Thread self = Thread.currentThread();
            var interrupt = timer.schedule(self::interrupt, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                if (load) {
                    handler.load(item);
                } else {
                    handler.drop(item);
                }
            } finally {
                interrupt.cancel(false);
                if (Thread.interrupted() && !closed.get()) {
                    throw new InterruptedException("timed out");
                }
            }
        }

        private void commit(boolean load) {
            try {
                if (load) {
                    commitLoad();
                } else {
                    commitDrop();
                }
                finish();
            } catch (KeeperException e) {
                if (isConnectionProblem(e) && !closed.get()) {
                    LOG.info("worker {}: commit of item {} interrupted by {}; trying again", workerId, id(), e.code());
                    schedule(() -> commit(load), COMMIT_RETRY_MS);
                    return;
                }
                LOG.warn("worker {}: cannot commit {} of item {}: {}", workerId, cmd.command().action(), id(), e.toString());
                finish();
            } catch (Exception e) {
                if (!closed.get()) { // closing interrupts commits in flight: nothing to report
                    LOG.warn("worker {}: cannot commit {} of item {}: {}", workerId, cmd.command().action(), id(), e.toString());
                }
                finish();
            }
        }

        private void commitLoad() throws Exception {
            boolean announce = !announced.contains(id());
            try {
                commitOps(announce ? List.of(client.transactionOp().create().withMode(CreateMode.EPHEMERAL)
                        .forPath(paths.servedItem(workerId, id()), servedData())) : List.of());
                announced.add(id());
                LOG.debug("worker {} serves item {}", workerId, id());
            } catch (KeeperException e) {
                switch (failedOp(e)) {
                    case 0 -> {
                        // The leader took the command away (it no longer wants the item here).
                        if (!announced.contains(id())) {
                            LOG.info("worker {}: load of item {} was revoked; dropping it again", workerId, id());
                            undoLoad();
                        }
                    }
                    case 1 -> {
                        // A served node already exists: ours from before, or an earlier session's. Take it over.
                        announce(id());
                        announced.add(id());
                        commitOps(List.of());
                    }
                    default -> throw e;
                }
            }
        }

        private void commitDrop() throws Exception {
            try {
                commitOps(List.of(client.transactionOp().delete().forPath(paths.servedItem(workerId, id()))));
            } catch (KeeperException e) {
                if (failedOp(e) != 1) {
                    throw e;
                }
                commitOps(List.of()); // nothing was announced (e.g. lost with a session): just consume the command
            } finally {
                announced.remove(id());
            }
        }

        /** The command's deletion, checked by version, then {@code more}, as one multi. */
        private void commitOps(List<CuratorOp> more) throws Exception {
            List<CuratorOp> ops = new java.util.ArrayList<>();
            ops.add(client.transactionOp().delete().withVersion(cmd.version()).forPath(cmd.path()));
            ops.addAll(more);
            client.transaction().forOperations(ops);
        }

        private void undoLoad() {
            try {
                handler.drop(item);
            } catch (Exception e) {
                LOG.warn("worker {}: dropping revoked item {} failed: {}", workerId, id(), e.toString());
            } finally {
                loaded.remove(id());
            }
        }

        private byte[] servedData() {
            return DroverJson.encode(new ServedItem(ServedItem.FORMAT_VERSION, workerId, id(), System.currentTimeMillis(),
                    cmd.command().epoch()));
        }

        /** Tells the leader this worker gave up, so it can try another one. */
        private void reportFailure() {
            try {
                client.setData().withVersion(cmd.version()).forPath(cmd.path(),
                        DroverJson.encode(cmd.command().failed(cut(lastError), attempts)));
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException gone) {
                // revoked meanwhile: nobody waits for the answer
            } catch (Exception e) {
                LOG.warn("worker {} could not report the failed load of {}: {}", workerId, id(), e.toString());
            }
        }

        private void schedule(Runnable r, long delayMs) {
            try {
                timer.schedule(() -> execute(r), delayMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // closed
            }
        }

        private void finish() {
            onEvents(() -> jobDone(this));
        }
    }

    /** Creates our served node, replacing one left by an earlier session of this worker id. */
    private void announce(String id) throws Exception {
        String path = paths.servedItem(workerId, id);
        byte[] data = DroverJson.encode(new ServedItem(ServedItem.FORMAT_VERSION, workerId, id, System.currentTimeMillis(), 0));
        Stat stat = client.checkExists().forPath(path);
        if (stat != null && stat.getEphemeralOwner() == sessionId.getAsLong()) {
            return;
        }
        if (stat != null) {
            client.transaction().forOperations(client.transactionOp().delete().withVersion(stat.getVersion()).forPath(path),
                    client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(path, data));
        } else {
            client.create().withMode(CreateMode.EPHEMERAL).forPath(path, data);
        }
    }

    /** Index of the op that failed in a multi (the command's deletion is op 0), or -1 if unknown. */
    private static int failedOp(KeeperException e) {
        List<org.apache.zookeeper.OpResult> results = e.getResults();
        if (results != null) {
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof org.apache.zookeeper.OpResult.ErrorResult err
                        && err.getErr() != KeeperException.Code.OK.intValue()
                        && err.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean isConnectionProblem(KeeperException e) {
        return switch (e.code()) {
            case CONNECTIONLOSS, SESSIONEXPIRED, SESSIONMOVED, OPERATIONTIMEOUT -> true;
            default -> false;
        };
    }

    private static String cut(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }

    @Override
    public void close() {
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
    }
}
