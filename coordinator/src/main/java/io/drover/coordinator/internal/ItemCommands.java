package io.drover.coordinator.internal;

import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.protocol.ItemTransitions;
import io.drover.protocol.ZooKeeperCalls;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the item balancer's decisions: LOAD and DROP commands issued, commands revoked, each
 * through the term's fenced writer, with what a failure means for the leader's picture of the
 * queues. Leader thread only.
 */
final class ItemCommands {
    private static final Logger LOG = LoggerFactory.getLogger(ItemCommands.class);
    private static final long RETRY_AFTER_FAILED_WRITE_MS = 1_000;

    private final LeaderContext ctx;
    private final ItemState state;
    private final ItemTransitions transitions;
    private final ScheduledExecutorService executor;
    private final Consumer<String> refreshCommand;
    private final BiConsumer<String, String> revoked;
    private final Runnable requestPass;

    /** Commands being deleted (worker/item), so one is not deleted twice. */
    private final Set<String> deleting = new HashSet<>();

    /** Commands being written (worker/item): until the write answers, they may not exist yet. */
    private final Set<String> writing = new HashSet<>();

    /**
     * @param refreshCommand re-reads a command's path (after a failed write, to learn what is
     *     there)
     * @param revoked a command is gone by the leader's own delete (worker, item)
     */
    ItemCommands(
            LeaderContext ctx,
            ItemState state,
            ScheduledExecutorService executor,
            Consumer<String> refreshCommand,
            BiConsumer<String, String> revoked,
            Runnable requestPass) {
        this.ctx = ctx;
        this.state = state;
        this.transitions = new ItemTransitions(ctx.client(), ctx.paths());
        this.executor = executor;
        this.refreshCommand = refreshCommand;
        this.revoked = revoked;
        this.requestPass = requestPass;
    }

    void issue(LoadCommand.Action action, String itemId, String workerId, long now) {
        ItemSpec item = state.desired().getOrDefault(itemId, ItemSpec.of(itemId, 0));
        List<CuratorOp> ops;
        try {
            ops =
                    transitions.issue(
                            workerId, LoadCommand.of(action, item, ctx.term().epoch(), now));
        } catch (Exception e) {
            LOG.error("cannot build a {} of item {}", action, itemId, e);
            return;
        }
        // Counted at once, so the next pass does not repeat it.
        state.command(workerId, itemId, new ItemState.Command(action, false));
        String key = workerId + "/" + itemId;
        writing.add(key);
        ctx.writer()
                .submit(ops)
                .whenCompleteAsync((r, e) -> written(action, workerId, itemId, e), executor);
    }

    private void written(LoadCommand.Action action, String workerId, String itemId, Throwable e) {
        writing.remove(workerId + "/" + itemId);
        if (e == null || ctx.writer().lost()) {
            return; // the watch reports the command, and its end
        }
        LOG.info(
                "{} of item {} on {} not written: {}",
                action,
                itemId,
                workerId,
                ZooKeeperCalls.unwrap(e).toString());
        state.commandGone(workerId, itemId);
        // If some command is there after all, the watch reports it.
        refreshCommand.accept(ctx.paths().loadCommand(workerId, itemId));
        // Not at once: a cause that persists (say, a queue folder deleted by hand) would make a
        // tight loop.
        executor.schedule(requestPass, RETRY_AFTER_FAILED_WRITE_MS, TimeUnit.MILLISECONDS);
    }

    /** Whether the write of this command is still on its way. */
    boolean writing(String workerId, String itemId) {
        return writing.contains(workerId + "/" + itemId);
    }

    void revoke(String workerId, String itemId) {
        String key = workerId + "/" + itemId;
        if (!deleting.add(key)) {
            return;
        }
        List<CuratorOp> ops;
        try {
            ops = transitions.revoke(workerId, itemId);
        } catch (Exception e) {
            deleting.remove(key);
            return;
        }
        ctx.writer()
                .submit(ops)
                .whenCompleteAsync(
                        (r, e) -> {
                            deleting.remove(key);
                            if (e != null && ctx.writer().lost()) {
                                return;
                            }
                            Throwable cause = e == null ? null : ZooKeeperCalls.unwrap(e);
                            if (cause == null || cause instanceof KeeperException.NoNodeException) {
                                revoked.accept(workerId, itemId);
                            } else {
                                LOG.info(
                                        "cannot delete the command of item {} on {}: {}",
                                        itemId,
                                        workerId,
                                        cause.toString());
                            }
                            requestPass.run();
                        },
                        executor);
    }
}
