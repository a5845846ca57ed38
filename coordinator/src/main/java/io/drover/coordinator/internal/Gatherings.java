package io.drover.coordinator.internal;

import io.drover.model.BroadcastGathering;
import io.drover.model.BroadcastOutcome;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.BroadcastTransitions;
import io.drover.protocol.ZooKeeperCalls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broadcasts gathering their responses: which responses have ended (learnt from what the leader
 * observes anyway, {@link EndedTally#listen}), the deadlines (one wake-up of the leader's pass, no
 * polling), and the end: the responses' statuses read once, the outcome by the policy, and one
 * fenced multi that ends the broadcast, deletes its gathering and asks the responses still running
 * to stop. Should the leader miss a response's end, the gathering still ends at its deadline, from
 * the statuses it reads then. Leader thread only.
 */
final class Gatherings {
    private static final Logger LOG = LoggerFactory.getLogger(Gatherings.class);

    /** One gathering as the leader follows it, with its broadcast's WAITING status and version. */
    static final class Tracked {
        final BroadcastGathering gathering;
        final Set<String> ended = new HashSet<>();
        TaskStatus waiting;
        int version;
        boolean ending;
        boolean cancelled;

        Tracked(BroadcastGathering gathering, TaskStatus waiting, int version) {
            this.gathering = gathering;
            this.waiting = waiting;
            this.version = version;
        }
    }

    private final LeaderContext ctx;
    private final BroadcastTransitions transitions;
    private final Map<String, Tracked> byParent = new HashMap<>();
    private final Map<String, String> parentOf = new HashMap<>();
    private final TreeMap<Long, Set<String>> deadlines = new TreeMap<>();

    Gatherings(LeaderContext ctx, BroadcastTransitions transitions) {
        this.ctx = ctx;
        this.transitions = transitions;
        ctx.ended().listen(this::ended);
    }

    /** Follows a gathering whose broadcast is {@code waiting} at {@code version}. */
    Tracked track(BroadcastGathering g, TaskStatus waiting, int version) {
        Tracked t = new Tracked(g, waiting, version);
        byParent.put(g.taskId(), t);
        g.responses().forEach(m -> parentOf.put(m.taskId(), g.taskId()));
        deadlines.computeIfAbsent(g.deadlineMs(), d -> new HashSet<>()).add(g.taskId());
        return t;
    }

    /** The gatherings followed, for the term's rebuild. */
    Iterable<Tracked> all() {
        return List.copyOf(byParent.values());
    }

    private void untrack(Tracked t) {
        String id = t.gathering.taskId();
        byParent.remove(id, t);
        t.gathering.responses().forEach(m -> parentOf.remove(m.taskId(), id));
        Set<String> at = deadlines.get(t.gathering.deadlineMs());
        if (at != null && at.remove(id) && at.isEmpty()) {
            deadlines.remove(t.gathering.deadlineMs());
        }
    }

    /** Whether a gathering still reads this response's end (retention keeps it until then). */
    boolean gathers(String taskId) {
        return parentOf.containsKey(taskId);
    }

    /** A task was seen in {@code state}: if it is a response, its gathering may be complete. */
    void ended(String taskId, TaskState state) {
        String parent = parentOf.get(taskId);
        Tracked t = parent == null ? null : byParent.get(parent);
        if (t == null) {
            return;
        }
        if (state.isTerminal()) {
            t.ended.add(taskId);
        } else {
            t.ended.remove(taskId); // re-run by hand while the broadcast still gathers
        }
        finishIfDue(t, System.currentTimeMillis());
    }

    void finishIfDue(Tracked t, long now) {
        if (BroadcastPlanner.due(t.gathering, t.ended, now)) {
            finish(t);
        }
    }

    /**
     * A cancel request for {@code taskId}: true when it is a gathering broadcast, which then ends
     * CANCELLED at once (its responses still running are cancelled with it).
     */
    boolean cancelRequested(String taskId) {
        Tracked t = byParent.get(taskId);
        if (t == null) {
            return false;
        }
        if (!t.ending) {
            t.cancelled = true;
            finish(t);
        }
        return true;
    }

    /** Ends the gatherings whose deadline has come; returns the next deadline, or -1. */
    long pass(long now) {
        while (!deadlines.isEmpty() && deadlines.firstKey() <= now) {
            for (String id : deadlines.pollFirstEntry().getValue()) {
                Tracked t = byParent.get(id);
                if (t != null) {
                    finish(t);
                }
            }
        }
        return deadlines.isEmpty() ? -1 : deadlines.firstKey();
    }

    /** Reads every response's status and cancel request, then writes the end. */
    private void finish(Tracked t) {
        if (t.ending) {
            return;
        }
        t.ending = true;
        String id = t.gathering.taskId();
        Map<String, CompletableFuture<Optional<Versioned<TaskStatus>>>> statuses = new HashMap<>();
        Map<String, CompletableFuture<Boolean>> cancels = new HashMap<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (BroadcastGathering.Member m : t.gathering.responses()) {
            // an unreadable status counts as none (the response failed), not as a reason to wait
            statuses.put(
                    m.taskId(),
                    ctx.store()
                            .status(m.taskId())
                            .exceptionally(x -> Optional.<Versioned<TaskStatus>>empty()));
            cancels.put(m.taskId(), exists(ctx.paths().cancel(m.taskId())));
        }
        CompletableFuture<Boolean> own = exists(ctx.paths().cancel(id));
        all.addAll(statuses.values());
        all.addAll(cancels.values());
        all.add(own);
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .whenCompleteAsync(
                        (v, e) -> {
                            if (e != null) {
                                retryLater(t, e);
                                return;
                            }
                            Map<String, TaskStatus> read = new HashMap<>();
                            statuses.forEach(
                                    (r, f) -> f.join().ifPresent(s -> read.put(r, s.value())));
                            Set<String> cancelling = new HashSet<>();
                            cancels.forEach(
                                    (r, f) -> {
                                        if (f.join()) {
                                            cancelling.add(r);
                                        }
                                    });
                            write(t, read, cancelling, own.join());
                        },
                        ctx.executor());
    }

    private CompletableFuture<Boolean> exists(String path) {
        return ctx.store().read(path).thenApply(Optional::isPresent);
    }

    private void write(
            Tracked t, Map<String, TaskStatus> statuses, Set<String> cancelling, boolean asked) {
        String id = t.gathering.taskId();
        boolean cancelled = t.cancelled || asked;
        BroadcastOutcome outcome = BroadcastPlanner.outcome(t.gathering, statuses, cancelled);
        List<String> stop = new ArrayList<>(BroadcastPlanner.unfinished(t.gathering, statuses));
        stop.removeAll(cancelling);
        TaskStatus end =
                BroadcastPlanner.end(t.waiting, outcome, cancelled, System.currentTimeMillis());
        List<CuratorOp> ops;
        try {
            ops = transitions.end(id, t.version, end, stop, asked);
        } catch (Exception e) {
            LOG.error("cannot build the end of broadcast {}", id, e);
            return;
        }
        ctx.writer()
                .submit(ops)
                .whenCompleteAsync(
                        (r, e) -> {
                            if (e != null) {
                                retryLater(t, e);
                                return;
                            }
                            untrack(t);
                            LOG.info(
                                    "broadcast {}: {}, {} of {} responses succeeded",
                                    id,
                                    end.state(),
                                    outcome.succeeded(),
                                    outcome.workers());
                            ctx.ended().observed(id, end.state());
                            ctx.events().taskEnded(end);
                        },
                        ctx.executor());
    }

    /**
     * The end raced with something (a cancel request created meanwhile, a status rewritten): after
     * a second, the broadcast's status is read again and, if it still waits, the end is tried anew;
     * a broadcast that no longer waits is forgotten, its gathering deleted.
     */
    private void retryLater(Tracked t, Throwable e) {
        if (ctx.writer().lost()) {
            return;
        }
        String id = t.gathering.taskId();
        LOG.debug("end of broadcast {} failed ({}); retrying", id, ZooKeeperCalls.unwrap(e));
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS, ctx.executor())
                .execute(
                        () -> {
                            if (ctx.writer().lost() || byParent.get(id) != t) {
                                return;
                            }
                            ctx.store()
                                    .status(id)
                                    .whenCompleteAsync(
                                            (s, err) -> reread(t, err == null ? s : null),
                                            ctx.executor());
                        });
    }

    private void reread(Tracked t, Optional<Versioned<TaskStatus>> status) {
        if (status == null) {
            retryLater(t, new IllegalStateException("status unreadable"));
            return;
        }
        t.ending = false;
        if (status.isPresent() && status.get().value().state() == TaskState.WAITING) {
            t.waiting = status.get().value();
            t.version = status.get().version();
            finish(t);
            return;
        }
        untrack(t);
        discard(t.gathering.taskId());
    }

    /** Deletes the gathering of a broadcast that no longer waits (it ended another way). */
    void discard(String parentId) {
        LOG.warn("deleting the stale gathering of broadcast {}: it does not wait", parentId);
        try {
            ctx.writer().submit(transitions.discard(parentId));
        } catch (Exception e) {
            LOG.error("cannot build the deletion of gathering {}", parentId, e);
        }
    }
}
