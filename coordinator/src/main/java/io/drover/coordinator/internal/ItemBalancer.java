package io.drover.coordinator.internal;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.model.DroverPaths;
import io.drover.model.LoadCommand;
import io.drover.model.WorkerInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's load/drop loop for one term: sees {@code items/}, {@code served/} and {@code
 * loadqueue/} through {@link ItemWatches}, asks the {@link ItemPlanner} what to change and writes
 * the commands in multis fenced by the term's epoch, so a deposed leader's commands fail in
 * ZooKeeper itself. It also clears the queues of workers that are gone and the commands workers
 * gave up on (remembering the failure, so the next plan tries another worker).
 *
 * <p>Runs on the leader's single thread, like the rest of the term.
 */
final class ItemBalancer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ItemBalancer.class);

    private final LeaderContext ctx;
    private final DroverPaths paths;
    private final ScheduledExecutorService executor;
    private final BooleanSupplier leaderReady;
    private final ItemState state = new ItemState();
    private final ItemPlanner planner;
    private final ItemCommands commands;
    private final LoadFailures failures;
    private final Map<String, String> moves = new HashMap<>();
    private final ItemWatches watches;
    private boolean passQueued;

    /**
     * Set by close (another thread): the term's executor is shut down right after, so at worst one
     * pass still runs.
     */
    private volatile boolean closed;

    private ScheduledFuture<?> wake;

    ItemBalancer(
            LeaderContext ctx,
            CoordinatorConfig.ItemSettings settings,
            ScheduledExecutorService executor,
            BooleanSupplier leaderReady) {
        this.ctx = ctx;
        this.paths = ctx.paths();
        this.executor = executor;
        this.leaderReady = leaderReady;
        this.planner = new ItemPlanner(settings);
        this.failures = new LoadFailures(settings.loadFailureCooldown().toMillis());
        this.watches = new ItemWatches(ctx, state, failures, this::requestPass);
        this.commands =
                new ItemCommands(
                        ctx,
                        state,
                        executor,
                        watches::refreshCommand,
                        watches::revoked,
                        this::requestPass);
    }

    void start() {
        for (String folder : List.of(paths.items(), paths.served(), paths.loadQueue())) {
            try {
                if (ctx.client().checkExists().forPath(folder) == null) {
                    // a cluster created before items existed (with ACLs, only its admin may)
                    ctx.client().create().creatingParentsIfNeeded().forPath(folder);
                }
            } catch (KeeperException.NodeExistsException usual) {
                // the usual case
            } catch (Exception e) {
                LOG.warn("cannot create {}: {}", folder, e.toString());
            }
        }
        watches.start();
    }

    @Override
    public void close() {
        closed = true;
        watches.close();
    }

    /**
     * Plans again soon (coalesced); call on any change of workers, and from the safety-net pass.
     */
    void requestPass() {
        if (!passQueued && !closed) {
            passQueued = true;
            executor.execute(this::pass);
        }
    }

    /** Safety net, from the term's reconcile: see {@link ItemWatches#auditCommands}. */
    void auditCommands(long ageMs) {
        if (!closed) {
            watches.auditCommands(ageMs, commands::writing);
        }
    }

    // ---- the pass -------------------------------------------------------------------------------

    private void pass() {
        passQueued = false;
        if (closed || !watches.initialized() || !leaderReady.getAsBoolean()) {
            return;
        }
        try {
            plan();
        } catch (RuntimeException e) {
            LOG.error(
                    "item placement pass failed; the next change or the safety-net pass tries again",
                    e);
        }
    }

    private void plan() {
        Map<String, WorkerInfo> workers = new HashMap<>();
        ctx.view().workers().forEach(w -> workers.put(w.id(), w));
        for (String w : List.copyOf(state.queuedWorkers())) {
            state.commandsOf(w)
                    .forEach(
                            (itemId, c) -> {
                                if (!workers.containsKey(w) || c.failed()) {
                                    // a gone worker's queue, a command given up on, an unreadable
                                    // one
                                    commands.revoke(w, itemId);
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
            wake =
                    executor.schedule(
                            this::requestPass,
                            Math.max(1, atMs - System.currentTimeMillis()),
                            TimeUnit.MILLISECONDS);
        }
    }
}
