package io.drover.coordinator.internal;

import io.drover.model.Assignment;
import io.drover.model.TaskAttempt;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.TaskTransitions;
import io.drover.protocol.ZooKeeperCalls;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, from ZooKeeper rather than from the event that raised the doubt, whether an assignment's
 * attempt is dead, and if so returns the task to pending in one fenced multi: a started attempt
 * counts against {@code maxAttempts}, an unclaimed one does not; a task out of attempts FAILS.
 * Leader thread only.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final LeaderContext ctx;
    private final Runnable onRequeued;
    private final java.util.function.Consumer<String> onUnresponsive;
    private final long assignmentTimeoutMs;
    private final Set<String> verifying = new HashSet<>();
    private final TaskTransitions transitions;
    private final ForgedEnds forgedEnds;

    Recovery(
            LeaderContext ctx,
            Runnable onRequeued,
            java.util.function.Consumer<String> onUnresponsive,
            long assignmentTimeoutMs) {
        this.ctx = ctx;
        this.onRequeued = onRequeued;
        this.onUnresponsive = onUnresponsive;
        this.assignmentTimeoutMs = assignmentTimeoutMs;
        this.transitions = new TaskTransitions(ctx.client(), ctx.paths());
        this.forgedEnds = new ForgedEnds(transitions);
    }

    void verify(String taskId) {
        String workerId = ctx.view().workerOf(taskId);
        if (workerId == null || !verifying.add(taskId)) {
            return;
        }
        CompletableFuture<Optional<Versioned<TaskStatus>>> status = ctx.store().status(taskId);
        CompletableFuture<Boolean> claimed =
                ctx.store().read(ctx.paths().claim(taskId)).thenApply(Optional::isPresent);
        CompletableFuture<Optional<TaskSpec>> spec = ctx.store().spec(taskId);
        CompletableFuture<Boolean> cancelRequested =
                ctx.store().read(ctx.paths().cancel(taskId)).thenApply(Optional::isPresent);
        String assignmentPath = ctx.paths().assignment(workerId, taskId);
        CompletableFuture<Optional<Assignment>> assignment =
                ctx.store()
                        .read(assignmentPath)
                        .thenApply(raw -> ForgedEnds.decode(assignmentPath, raw));
        CompletableFuture.allOf(status, claimed, spec, cancelRequested, assignment)
                .whenCompleteAsync(
                        (v, e) -> {
                            if (e != null) {
                                verifying.remove(taskId);
                                LOG.warn(
                                        "cannot verify task {}: {}; the next reconciliation retries",
                                        taskId,
                                        ZooKeeperCalls.unwrap(e).toString());
                                return;
                            }
                            Optional<Versioned<TaskStatus>> current = status.join();
                            if (ForgedEnds.forged(current, assignment.join())) {
                                restore(
                                        taskId,
                                        workerId,
                                        current.get(),
                                        assignment.join().get(),
                                        claimed.join(),
                                        spec.join());
                                return;
                            }
                            decide(
                                    taskId,
                                    workerId,
                                    current,
                                    claimed.join(),
                                    spec.join(),
                                    cancelRequested.join());
                        },
                        ctx.executor());
    }

    /** Discards a forged end (see {@link ForgedEnds}): the task pends again. */
    private void restore(
            String taskId,
            String workerId,
            Versioned<TaskStatus> forged,
            Assignment assignment,
            boolean claimed,
            Optional<TaskSpec> spec) {
        List<CuratorOp> ops;
        try {
            ops = forgedEnds.restore(taskId, workerId, forged, assignment, claimed, spec);
        } catch (Exception e) {
            verifying.remove(taskId);
            LOG.error("cannot build the restoration of task {}", taskId, e);
            return;
        }
        submit(taskId, workerId, ops, "forged end discarded; requeued", null);
    }

    private boolean unclaimedTooLong(TaskStatus s) {
        return System.currentTimeMillis() - s.assignedAtMs() > assignmentTimeoutMs;
    }

    private void decide(
            String taskId,
            String workerId,
            Optional<Versioned<TaskStatus>> current,
            boolean claimed,
            Optional<TaskSpec> spec,
            boolean cancelRequested) {
        if (!workerId.equals(ctx.view().workerOf(taskId))) {
            verifying.remove(taskId); // the assignment ended while we read
            return;
        }
        boolean alive = ctx.view().hasWorker(workerId);
        List<CuratorOp> ops;
        String outcome;
        TaskStatus ended = null;
        try {
            TaskStatus s = current.map(Versioned::value).orElse(null);
            boolean ours =
                    s != null
                            && workerId.equals(s.workerId())
                            && (s.state() == TaskState.ASSIGNED || s.state() == TaskState.RUNNING);
            if (!ours) {
                ops =
                        transitions.revokeStale(
                                workerId,
                                taskId); // the status names another attempt: its version moved on
                outcome = "removed stale assignment";
            } else if (alive && (s.state() == TaskState.RUNNING ? claimed : !unclaimedTooLong(s))) {
                verifying.remove(taskId); // the attempt is alive
                return;
            } else {
                int version = current.get().version();
                boolean started = s.state() == TaskState.RUNNING;
                boolean deleteClaim =
                        claimed && !alive; // a dead worker's claim: its session is closing
                int next = started ? s.attempt() + 1 : s.attempt();
                if (alive && !started) {
                    onUnresponsive.accept(workerId);
                }
                String why =
                        !alive
                                ? "worker "
                                        + workerId
                                        + " lost"
                                        + (started
                                                ? " during attempt " + s.attempt()
                                                : " before it claimed the task")
                                : started
                                        ? "claim of worker "
                                                + workerId
                                                + " lost during attempt "
                                                + s.attempt()
                                        : "worker "
                                                + workerId
                                                + " did not claim the task within "
                                                + assignmentTimeoutMs
                                                + " ms";
                long now = System.currentTimeMillis();
                if (started) {
                    s = s.attemptEnded(TaskAttempt.Outcome.LOST, why, token(current.get()), now);
                }
                // a broadcast response runs on its own worker or not at all
                boolean pinned =
                        spec.isPresent()
                                && spec.get().targetWorker() != null
                                && (started || !alive);
                if (spec.isEmpty() || cancelRequested || pinned || next > s.maxAttempts()) {
                    TaskStatus end =
                            spec.isEmpty()
                                    ? s.finished(
                                            TaskState.FAILED,
                                            s.fencingToken(),
                                            null,
                                            "its spec is gone (" + why + ")",
                                            now)
                                    : cancelRequested
                                            ? s.finished(
                                                    TaskState.CANCELLED,
                                                    s.fencingToken(),
                                                    null,
                                                    "cancelled (" + why + ")",
                                                    now)
                                            : s.finished(
                                                    TaskState.FAILED,
                                                    s.fencingToken(),
                                                    null,
                                                    why
                                                            + (pinned
                                                                    ? "; a broadcast response"
                                                                            + " is not moved"
                                                                    : "; no attempts left"),
                                                    now);
                    ops =
                            transitions.recoverToEnd(
                                    workerId, taskId, deleteClaim, version, end, cancelRequested);
                    outcome = end.state() + ": " + end.error();
                    ended = end;
                } else {
                    // A crashed attempt waits its backoff like a failed one; an unclaimed one goes
                    // again at once.
                    long notBefore =
                            started ? now + spec.get().retryPolicy().backoffMs(s.attempt()) : 0;
                    ops =
                            transitions.recoverToPending(
                                    workerId,
                                    taskId,
                                    deleteClaim,
                                    spec.get(),
                                    version,
                                    s.requeued(next, why, notBefore));
                    outcome = "requeued as attempt " + next + ": " + why;
                }
            }
        } catch (Exception e) {
            verifying.remove(taskId);
            LOG.error("cannot build recovery of task {}", taskId, e);
            return;
        }
        submit(taskId, workerId, ops, outcome, ended);
    }

    /**
     * The lost attempt's fencing token: its worker puts it in every write after the claim; with
     * none yet, the status is still the claim's own write, whose zxid is the token.
     */
    private static long token(Versioned<TaskStatus> running) {
        TaskStatus s = running.value();
        List<TaskAttempt> h = s.attempts();
        TaskAttempt last = h.isEmpty() ? null : h.get(h.size() - 1);
        boolean ours =
                last != null
                        && last.attempt() == s.attempt()
                        && last.series() == s.series()
                        && TaskAttempt.Outcome.RUNNING.name().equals(last.outcome());
        if (!ours) {
            return 0; // claimed by a worker that keeps no history: its writes do not say
        }
        return last.fencingToken() != 0 ? last.fencingToken() : running.zxid();
    }

    /**
     * @param ended the terminal status the ops write, if they end the task
     */
    private void submit(
            String taskId, String workerId, List<CuratorOp> ops, String outcome, TaskStatus ended) {
        ctx.writer()
                .submit(ops)
                .whenCompleteAsync(
                        (r, e) -> {
                            verifying.remove(taskId);
                            if (e == null) {
                                ctx.view().removeAssignment(workerId, taskId);
                                LOG.info("task {}: {}", taskId, outcome);
                                if (ended != null) {
                                    ctx.ended().observed(taskId, ended.state());
                                    ctx.events().taskEnded(ended);
                                }
                                onRequeued.run();
                                return;
                            }
                            if (!ctx.writer().lost()) {
                                // the worker committed or the claim vanished meanwhile; look again
                                // with fresh data
                                LOG.debug(
                                        "recovery of task {} raced ({}); re-verifying",
                                        taskId,
                                        ZooKeeperCalls.unwrap(e).toString());
                                verify(taskId);
                            }
                        },
                        ctx.executor());
    }
}
