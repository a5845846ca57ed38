package io.drover.coordinator.internal;

import io.drover.model.Assignment;
import io.drover.model.PendingEntry;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.TaskTransitions;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperCalls;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out cancellation requests ({@code cancels/<taskId>}). A PENDING or ASSIGNED task is
 * cancelled by the leader in one fenced multi; a RUNNING one is flagged on its assignment, which
 * the worker watches: the worker stops the handler and commits CANCELLED. The request stays until
 * the task is terminal, so a lost worker's task is cancelled rather than requeued, and a new leader
 * carries on where the old one stopped. Leader thread only.
 */
final class Cancellations {
    private static final Logger LOG = LoggerFactory.getLogger(Cancellations.class);

    private final LeaderContext ctx;
    private final PendingIndex pending;
    private final Consumer<String> refreshPending;
    private final Set<String> working = new HashSet<>();
    private final TaskTransitions transitions;
    private java.util.function.Predicate<String> gathering = id -> false;
    private Consumer<String> waiting = id -> {};

    Cancellations(LeaderContext ctx, PendingIndex pending, Consumer<String> refreshPending) {
        this.ctx = ctx;
        this.pending = pending;
        this.refreshPending = refreshPending;
        this.transitions = new TaskTransitions(ctx.client(), ctx.paths());
    }

    /**
     * Who carries out the cancellation of a WAITING task: true when {@code owner} took it on (a
     * broadcast gathering its responses).
     */
    void onGathering(java.util.function.Predicate<String> owner) {
        this.gathering = owner;
    }

    /** Who cancels a WAITING task: the leader's {@link Dependencies}, which holds it. */
    void onWaiting(Consumer<String> cancelWaiting) {
        this.waiting = cancelWaiting;
    }

    void requested(String taskId) {
        if (!working.add(taskId)) {
            return;
        }
        PendingEntry entry = pending.get(taskId);
        if (entry != null) {
            cancelPending(entry);
            return;
        }
        String coldKey = pending.keepWhole(taskId);
        if (coldKey != null) { // deep in the backlog: held as its key; acted on once read again
            working.remove(taskId);
            refreshPending.accept(ctx.paths().pending(taskId, coldKey));
            return;
        }
        String workerId = ctx.view().workerOf(taskId);
        CompletableFuture<Optional<Versioned<TaskStatus>>> status = ctx.store().status(taskId);
        CompletableFuture<Optional<Versioned<byte[]>>> assignment =
                workerId == null
                        ? CompletableFuture.completedFuture(Optional.empty())
                        : ctx.store().read(ctx.paths().assignment(workerId, taskId));
        CompletableFuture.allOf(status, assignment)
                .whenCompleteAsync(
                        (v, e) -> {
                            if (e != null) {
                                working.remove(taskId); // reconciliation tries again
                                return;
                            }
                            decide(taskId, status.join(), workerId, assignment.join());
                        },
                        ctx.executor());
    }

    private void decide(
            String taskId,
            Optional<Versioned<TaskStatus>> current,
            String workerId,
            Optional<Versioned<byte[]>> assignment) {
        try {
            if (current.isEmpty() || current.get().value().state().isTerminal()) {
                write(
                        taskId,
                        transitions.clearCancel(taskId),
                        "request cleared (task "
                                + current.map(s -> s.value().state().toString()).orElse("gone")
                                + ")");
                return;
            }
            TaskStatus s = current.get().value();
            int version = current.get().version();
            if (s.state() == TaskState.ASSIGNED && s.workerId() != null) {
                TaskStatus end = cancelled(s);
                write(
                        taskId,
                        transitions.cancelAssigned(s.workerId(), taskId, version, end),
                        "cancelled before it was claimed",
                        end,
                        null);
            } else if (s.state() == TaskState.RUNNING
                    && assignment.isPresent()
                    && s.workerId().equals(workerId)) {
                Assignment a =
                        Znodes.assignment(
                                ctx.paths().assignment(workerId, taskId), assignment.get().value());
                if (a.cancelRequested()) {
                    working.remove(taskId);
                    return;
                }
                write(
                        taskId,
                        transitions.askToStop(
                                workerId, assignment.get().version(), a.withCancelRequested()),
                        "asked worker " + workerId + " to stop it");
            } else if (s.state() == TaskState.WAITING && gathering.test(taskId)) {
                working.remove(taskId); // a gathering broadcast: it ends itself, cancelled
            } else {
                // PENDING but not yet in our index, or moving: reconciliation looks again
                working.remove(taskId);
                if (s.state() == TaskState.WAITING) {
                    waiting.accept(taskId);
                }
            }
        } catch (Exception e) {
            working.remove(taskId);
            LOG.warn("cannot cancel task {}: {}", taskId, e.toString());
        }
    }

    private void cancelPending(PendingEntry entry) {
        String taskId = entry.taskId();
        pending.remove(taskId, entry.key()); // never dispatch it meanwhile
        try {
            // back in the index if it is still there
            TaskStatus end = cancelled(entry.status());
            write(
                    taskId,
                    transitions.cancelPending(entry, end),
                    "cancelled while pending",
                    end,
                    () -> refreshPending.accept(ctx.paths().pending(entry)));
        } catch (Exception e) {
            working.remove(taskId);
            refreshPending.accept(ctx.paths().pending(entry));
        }
    }

    private static TaskStatus cancelled(TaskStatus s) {
        return s.finished(
                TaskState.CANCELLED,
                s.fencingToken(),
                null,
                "cancelled",
                System.currentTimeMillis());
    }

    private void write(String taskId, List<CuratorOp> ops, String what) {
        write(taskId, ops, what, null, null);
    }

    /**
     * @param end the terminal status the ops write, if they end the task
     */
    private void write(
            String taskId, List<CuratorOp> ops, String what, TaskStatus end, Runnable onFailure) {
        ctx.writer()
                .submit(ops)
                .whenCompleteAsync(
                        (r, e) -> {
                            working.remove(taskId);
                            if (e == null) {
                                LOG.info("task {}: {}", taskId, what);
                                if (end != null) {
                                    // a pending task's end has no assignment whose end tells
                                    ctx.ended().observed(taskId, end.state());
                                    ctx.events().taskEnded(end);
                                }
                                return;
                            }
                            if (ctx.writer().lost()) {
                                return;
                            }
                            // Raced with a claim, a commit or a recovery; the reconciliation pass
                            // looks again with fresh data.
                            LOG.debug(
                                    "cancellation of task {} raced ({}); reconciliation retries",
                                    taskId,
                                    ZooKeeperCalls.unwrap(e).toString());
                            if (onFailure != null) {
                                onFailure.run();
                            }
                        },
                        ctx.executor());
    }
}
