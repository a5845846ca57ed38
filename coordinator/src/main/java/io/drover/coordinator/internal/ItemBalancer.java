package io.drover.coordinator.internal;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverPaths;
import io.drover.model.LoadCommand;
import io.drover.model.WorkerInfo;
import io.drover.protocol.ZnodeKind;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.WatchedFolder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's load/drop loop for one term: watches {@code items/}, {@code served/} and
 * {@code loadqueue/} (one recursive watch each), asks the {@link ItemPlanner} what to change and
 * writes the commands in multis fenced by the term's epoch, so a deposed leader's commands fail in
 * ZooKeeper itself. It also clears the queues of workers that are gone and the commands workers
 * gave up on (remembering the failure, so the next plan tries another worker).
 *
 * <p>Runs on the leader's single thread, like the rest of the term.
 */
final class ItemBalancer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ItemBalancer.class);
    private static final int SOURCES = 3;

    private final LeaderContext ctx;
    private final DroverPaths paths;
    private final ScheduledExecutorService executor;
    private final BooleanSupplier leaderReady;
    private final ItemState state = new ItemState();
    private final ItemPlanner planner;
    private final ItemCommands commands;
    private final LoadFailures failures;
    private final Map<String, String> moves = new HashMap<>();
    /**
     * Commands the worker has carried out whose effect on {@code served/} the leader has not seen
     * yet (worker/item). The worker deletes the command and creates or deletes the served node in
     * one multi, but the two reach the leader as separate events (a creation even needs a read), and
     * a pass in between would see a LOAD gone and no replica (and load another), or a DROP gone and
     * the replica still there (and drop another). So such a command counts as in flight until the
     * served node's change arrives.
     */
    private final Set<String> settling = new HashSet<>();
    private final WatchedFolder itemsFolder;
    private final WatchedFolder servedFolder;
    private final WatchedFolder queueFolder;
    private int initialized;
    private boolean passQueued;
    /** Set by close (another thread): the term's executor is shut down right after, so at worst one pass still runs. */
    private volatile boolean closed;
    private ScheduledFuture<?> wake;

    ItemBalancer(LeaderContext ctx, CoordinatorConfig.ItemSettings settings, ScheduledExecutorService executor, BooleanSupplier leaderReady) {
        this.ctx = ctx;
        this.paths = ctx.paths();
        this.executor = executor;
        this.leaderReady = leaderReady;
        this.planner = new ItemPlanner(settings);
        this.failures = new LoadFailures(settings.loadFailureCooldown().toMillis());
        this.itemsFolder = new WatchedFolder(ctx.client(), paths.items(), 1, executor, listener(this::onItem, this::onItemGone));
        // Every removal is reported: a command can be written, carried out and deleted before the watch reads it.
        this.servedFolder = new WatchedFolder(ctx.client(), paths.served(), 2, executor, listener(
                (path, data, version) -> onServed(path, data), path -> onServed(path, null)), true);
        this.queueFolder = new WatchedFolder(ctx.client(), paths.loadQueue(), 2, executor, listener(this::onCommand, this::onCommandGone), true);
        this.commands = new ItemCommands(ctx, state, executor, queueFolder::refresh, (workerId, itemId) -> {
            settling.remove(key(workerId, itemId));
            state.commandGone(workerId, itemId);
        }, this::requestPass);
    }

    void start() {
        for (String folder : List.of(paths.items(), paths.served(), paths.loadQueue())) {
            try {
                ctx.client().create().creatingParentsIfNeeded().forPath(folder); // a cluster created before items existed
            } catch (KeeperException.NodeExistsException usual) {
                // the usual case
            } catch (Exception e) {
                LOG.warn("cannot create {}: {}", folder, e.toString());
            }
        }
        itemsFolder.start();
        servedFolder.start();
        queueFolder.start();
    }

    @Override
    public void close() {
        closed = true;
        itemsFolder.close();
        servedFolder.close();
        queueFolder.close();
    }

    /** Plans again soon (coalesced); call on any change of workers, and from the safety-net pass. */
    void requestPass() {
        if (!passQueued && !closed) {
            passQueued = true;
            executor.execute(this::pass);
        }
    }

    // ---- watched state ------------------------------------------------------------------------------

    private void onItem(String path, byte[] data, int version) {
        String id = DroverPaths.nodeName(path);
        try {
            state.putItem(Znodes.item(path, data));
            ctx.corrupt().cleared(path);
        } catch (CorruptZnodeException e) {
            // Left as it is, served where it is: dropping an item because someone mangled its znode would be worse.
            state.unreadable(id);
            ctx.corrupt().report(e, version);
        }
        requestPass();
    }

    private void onItemGone(String path) {
        state.removeItem(DroverPaths.nodeName(path));
        requestPass();
    }

    /** A served node appeared (data) or went (null). */
    private void onServed(String path, byte[] data) {
        String[] wi = workerAndItem(paths.served(), path);
        if (data != null) {
            long generation = 0;
            try {
                generation = Znodes.served(path, data).itemCreatedAtMs();
                ctx.corrupt().cleared(path);
            } catch (CorruptZnodeException e) {
                ctx.corrupt().report(e, -1); // counted as a replica all the same: the worker's session holds it
            }
            state.served(wi[0], wi[1], generation);
            failures.loaded(wi[0]);
        } else {
            state.served(wi[0], wi[1], false);
        }
        if (settling.remove(key(wi[0], wi[1]))) {
            state.commandGone(wi[0], wi[1]);
        }
        requestPass();
    }

    private void onCommand(String path, byte[] data, int version) {
        String[] wi = workerAndItem(paths.loadQueue(), path);
        settling.remove(key(wi[0], wi[1]));
        ItemState.Command command;
        try {
            LoadCommand c = Znodes.loadCommand(path, data);
            ctx.corrupt().cleared(path);
            command = new ItemState.Command(c.action(), c.isFailed());
            ItemState.Command known = state.command(wi[0], wi[1]);
            if (c.isFailed() && (known == null || !known.failed())) { // a re-read of a known failure is not a new one
                LOG.warn("worker {} gave up loading item {} after {} attempts: {}; trying another worker", wi[0], wi[1], c.attempts(), c.failure());
                failures.failed(wi[1], wi[0], System.currentTimeMillis());
            }
        } catch (CorruptZnodeException e) {
            ctx.corrupt().report(e, version); // the leader deletes it and plans afresh
            command = new ItemState.Command(null, true);
        }
        state.command(wi[0], wi[1], command);
        requestPass();
    }

    private void onCommandGone(String path) {
        String[] wi = workerAndItem(paths.loadQueue(), path);
        ItemState.Command gone = state.command(wi[0], wi[1]);
        boolean served = state.servedBy(wi[1]).contains(wi[0]);
        if (gone != null && !gone.failed() && (gone.action() == LoadCommand.Action.LOAD) != served) {
            // Carried out (most likely): the served node's change from the same multi is on its way. Read the node
            // once more to be sure, on the served folder's reader, so the answer comes after that change.
            settling.add(key(wi[0], wi[1]));
            servedFolder.refresh(paths.servedItem(wi[0], wi[1]));
            return;
        }
        state.commandGone(wi[0], wi[1]);
        requestPass();
    }

    private void onSourceInitialized() {
        initialized++;
        requestPass();
    }

    // ---- the pass -------------------------------------------------------------------------------------

    private void pass() {
        passQueued = false;
        if (closed || initialized < SOURCES || !leaderReady.getAsBoolean()) {
            return;
        }
        try {
            plan();
        } catch (RuntimeException e) {
            LOG.error("item placement pass failed; the next change or the safety-net pass tries again", e);
        }
    }

    private void plan() {
        Map<String, WorkerInfo> workers = new HashMap<>();
        ctx.view().workers().forEach(w -> workers.put(w.id(), w));
        for (String w : List.copyOf(state.queuedWorkers())) {
            state.commandsOf(w).forEach((itemId, c) -> {
                if (!workers.containsKey(w) || c.failed()) {
                    commands.revoke(w, itemId); // a gone worker's queue, a command given up on, an unreadable one
                }
            });
        }
        long now = System.currentTimeMillis();
        for (ItemPlanner.Order o : planner.plan(state, workers, failures, moves, now)) {
            switch (o.kind()) {
                case LOAD -> commands.issue(LoadCommand.Action.LOAD, o.itemId(), o.workerId(), now);
                case DROP -> commands.issue(LoadCommand.Action.DROP, o.itemId(), o.workerId(), now);
                case REVOKE -> commands.revoke(o.workerId(), o.itemId());
            }
        }
        wakeAt(failures.nextExpiryMs(System.currentTimeMillis()));
    }

    /** Plans again when a failure cool-down ends; no polling. */
    private void wakeAt(long atMs) {
        if (wake != null) {
            wake.cancel(false);
            wake = null;
        }
        if (atMs != Long.MAX_VALUE && !closed) {
            wake = executor.schedule(this::requestPass, Math.max(1, atMs - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        }
    }

    private static String key(String workerId, String itemId) {
        return workerId + "/" + itemId;
    }

    private static String[] workerAndItem(String root, String path) {
        return path.substring(root.length() + 1).split("/", 2);
    }

    /** Item ids, and worker folders under {@code served/} and {@code loadqueue/}, must be ids: they become paths the leader writes. */
    private static void checkNames(String path) {
        Znodes.idName(ZnodeKind.ITEM, path);
        String parent = path.substring(0, path.lastIndexOf('/'));
        if (!parent.endsWith("/items")) {
            Znodes.idName(ZnodeKind.FOLDER, parent);
        }
    }

    private interface Upsert {
        void accept(String path, byte[] data, int version);
    }

    private WatchedFolder.Listener listener(Upsert upsert, java.util.function.Consumer<String> removed) {
        return new WatchedFolder.Listener() {
            @Override
            public void upserted(String path, byte[] data, int version) {
                ctx.corrupt().guard(path, version, () -> {
                    checkNames(path);
                    upsert.accept(path, data, version);
                });
            }

            @Override
            public void removed(String path) {
                ctx.corrupt().cleared(path);
                ctx.corrupt().guard(path, -1, () -> {
                    checkNames(path);
                    removed.accept(path);
                });
            }

            @Override
            public void initialized() {
                onSourceInitialized();
            }
        };
    }
}
