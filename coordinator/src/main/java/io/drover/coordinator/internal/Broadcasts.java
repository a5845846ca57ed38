package io.drover.coordinator.internal;

import io.drover.model.BroadcastGathering;
import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverJson;
import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.protocol.BroadcastTransitions;
import io.drover.protocol.TaskTransitions;
import io.drover.protocol.ZooKeeperCalls;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's part in broadcasts (see {@code docs/broadcast.md}), called from its dispatch pass:
 * it fans out the broadcasts the pending index holds (fixes the worker set, moves the broadcast to
 * WAITING and creates one response task per worker), fails the responses whose worker is gone
 * before they ran (they never move to another worker), and ends the gatherings that are due ({@link
 * Gatherings}). A new leader picks the gatherings up from {@code broadcasts/} ({@link
 * GatheringRebuild}). Leader thread only.
 */
final class Broadcasts {
    private static final Logger LOG = LoggerFactory.getLogger(Broadcasts.class);

    private final LeaderContext ctx;
    private final PendingIndex pending;
    private final PendingAudit audit;
    private final BroadcastTransitions transitions;
    private final Gatherings gatherings;

    private final Runnable requestPass;

    /**
     * @param requestPass asks for a pass of the leader, which sets the wake-up for a new deadline
     */
    Broadcasts(LeaderContext ctx, PendingIndex pending, PendingAudit audit, Runnable requestPass) {
        this.ctx = ctx;
        this.pending = pending;
        this.audit = audit;
        this.requestPass = requestPass;
        this.transitions = new BroadcastTransitions(ctx.client(), ctx.paths());
        this.gatherings = new Gatherings(ctx, transitions);
    }

    /** Picks up the gatherings a previous leader left (blocking; at the start of a term). */
    void rebuild() throws Exception {
        new GatheringRebuild(ctx, gatherings, this::respond).run();
    }

    /**
     * Whether a gathering still needs this response task (read once at the deadline or the end):
     * retention keeps it. The gatherings are rebuilt before the term is ready, so this is complete
     * whenever retention runs.
     */
    boolean needed(String taskId) {
        return gatherings.gathers(taskId);
    }

    /**
     * A cancel request for {@code taskId}: true when it is a gathering broadcast (it ends
     * CANCELLED).
     */
    boolean cancelRequested(String taskId) {
        return gatherings.cancelRequested(taskId);
    }

    /**
     * Fans out the due broadcasts, fails the responses whose worker is gone, ends the due
     * gatherings; returns the next deadline, or -1. Its cost grows with the broadcasts due and the
     * workers some response waits for, never with the tasks waiting.
     */
    long pass(long now) {
        for (PendingEntry e : List.copyOf(pending.broadcasts())) {
            pending.remove(e.taskId(), e.key());
            fanOut(e);
        }
        for (String target : List.copyOf(pending.targets())) {
            if (!ctx.view().hasWorker(target)) {
                for (PendingEntry e : pending.targeting(target)) {
                    pending.remove(e.taskId(), e.key());
                    endPending(e, BroadcastPlanner.orphaned(e.status(), target, now), "orphaned");
                }
            }
        }
        return gatherings.pass(now);
    }

    private void fanOut(PendingEntry e) {
        CompletableFuture<Optional<TaskSpec>> spec =
                e.spec() != null
                        ? CompletableFuture.completedFuture(Optional.of(e.spec()))
                        : ctx.store().spec(e.taskId());
        spec.whenCompleteAsync(
                (s, err) -> {
                    Throwable cause = err == null ? null : ZooKeeperCalls.unwrap(err);
                    if (cause != null && !(cause instanceof CorruptZnodeException)) {
                        audit.recheck(ctx.paths().pending(e), e.taskId()); // back in if it is
                    } else if (cause != null || s.isEmpty() || s.get().broadcast() == null) {
                        String why =
                                cause != null
                                        ? "its spec is unreadable: " + cause.getMessage()
                                        : "its spec is gone or is no broadcast";
                        endPending(
                                e,
                                e.status()
                                        .finished(
                                                TaskState.FAILED,
                                                e.status().fencingToken(),
                                                null,
                                                why,
                                                System.currentTimeMillis()),
                                why);
                    } else {
                        fanOut(e, s.get());
                    }
                },
                ctx.executor());
    }

    private void fanOut(PendingEntry e, TaskSpec spec) {
        long now = System.currentTimeMillis();
        List<String> members =
                BroadcastPlanner.members(e.type(), e.requiredLabels(), ctx.view().workers());
        String refusal = BroadcastPlanner.refusal(e.type(), e.requiredLabels(), members);
        if (refusal != null) {
            TaskStatus end =
                    BroadcastPlanner.refused(e.status(), spec.broadcast().success(), refusal, now);
            endPending(e, end, refusal);
            return;
        }
        BroadcastGathering g = BroadcastPlanner.gathering(spec, e.status().series(), members, now);
        List<CuratorOp> ops;
        try {
            ops = transitions.fanOut(e, g);
        } catch (Exception ex) {
            LOG.error("cannot build the fan-out of broadcast {}", e.taskId(), ex);
            return;
        }
        TaskStatus waiting = BroadcastTransitions.waiting(e.status());
        int version = TaskTransitions.after(e.statusVersion());
        ctx.writer()
                .submit(ops)
                .whenCompleteAsync(
                        (r, err) -> {
                            if (err == null) {
                                LOG.info(
                                        "broadcast {} fanned out to {} workers, gathering for {} ms",
                                        e.taskId(),
                                        members.size(),
                                        g.deadlineMs() - g.fannedOutAtMs());
                                gatherings.track(g, waiting, version);
                                requestPass.run(); // its deadline needs a wake-up
                            } else if (!ctx.writer().lost()) {
                                if (ZooKeeperCalls.unwrap(err)
                                                instanceof KeeperException.NodeExistsException x
                                        && ctx.paths().broadcast(e.taskId()).equals(x.getPath())) {
                                    gatherings.discard(e.taskId()); // a gathering nobody wrote
                                }
                                audit.recheck(ctx.paths().pending(e), e.taskId());
                            }
                        },
                        ctx.executor());
        // Queued behind the fan-out: each checks that the gathering exists, so none is created if
        // the fan-out failed; several go out in one multi.
        respond(g, spec, g.responses());
    }

    /**
     * Creates the response tasks of {@code members} (at the fan-out, or those a previous leader did
     * not get to). Each is its own all-or-nothing item; one that exists already is left as it is.
     */
    void respond(BroadcastGathering g, TaskSpec parent, List<BroadcastGathering.Member> members) {
        long now = System.currentTimeMillis();
        for (BroadcastGathering.Member m : members) {
            List<CuratorOp> ops;
            try {
                TaskSpec r = BroadcastPlanner.response(parent, m, now);
                ops = transitions.respond(g.taskId(), r, DroverJson.encode(r)).ops();
            } catch (Exception ex) {
                LOG.error("cannot build response {} of broadcast {}", m.taskId(), g.taskId(), ex);
                continue;
            }
            ctx.writer()
                    .submit(ops)
                    .whenCompleteAsync(
                            (r, err) -> {
                                Throwable cause = err == null ? null : ZooKeeperCalls.unwrap(err);
                                if (cause == null
                                        || ctx.writer().lost()
                                        || cause instanceof KeeperException.NodeExistsException
                                        || cause instanceof KeeperException.NoNodeException) {
                                    return; // made; made before; or the broadcast is not gathering
                                }
                                LOG.warn(
                                        "response {} of broadcast {} not created ({}); it counts"
                                                + " as failed",
                                        m.taskId(),
                                        g.taskId(),
                                        cause.toString());
                            },
                            ctx.executor());
        }
    }

    /** Ends a task whose entry was taken out of the index, or puts the entry back if it races. */
    private void endPending(PendingEntry e, TaskStatus end, String why) {
        List<CuratorOp> ops;
        try {
            ops = transitions.endPending(e, end);
        } catch (Exception ex) {
            LOG.error("cannot build the end of task {}", e.taskId(), ex);
            return;
        }
        ctx.writer()
                .submit(ops)
                .whenCompleteAsync(
                        (r, err) -> {
                            if (err == null) {
                                LOG.info("task {}: {}: {}", e.taskId(), end.state(), end.error());
                                ctx.ended().observed(e.taskId(), end.state());
                                ctx.events().taskEnded(end);
                            } else if (!ctx.writer().lost()) {
                                LOG.debug("ending task {} ({}) raced: {}", e.taskId(), why, err);
                                audit.recheck(ctx.paths().pending(e), e.taskId());
                            }
                        },
                        ctx.executor());
    }
}
