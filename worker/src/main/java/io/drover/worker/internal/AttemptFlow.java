package io.drover.worker.internal;

import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.runtime.MultiBatcher;
import io.drover.store.TaskStore;
import io.drover.worker.TaskEvent;
import io.drover.worker.TaskHandler;
import io.drover.worker.WorkerConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one attempt: claim, run, report progress, time out, cancel, commit or retry. All
 * decisions run on the worker's event thread; ZooKeeper callbacks and handler threads only hand
 * results over to it.
 */
final class AttemptFlow {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptFlow.class);

    /** What the flow needs from the worker. Called on the event thread. */
    interface Host {
        long sessionId();

        void emit(TaskEvent.Kind kind, Attempt a, TaskState state, String detail);

        /** The attempt is over on this worker (its slot may still be held by a running handler). */
        void finished(Attempt a, TaskEvent.Kind kind, TaskState state, String detail);

        /** The attempt's handler has returned: its pool thread is free. */
        void handlerExited(Attempt a);
    }

    private final WorkerConfig config;
    private final Map<String, TaskHandler> handlers;
    private final AttemptOps ops;
    private final MultiBatcher batcher;
    private final TaskStore store;
    private final Executor events;
    private final ExecutorService exec;
    private final ScheduledExecutorService timer;
    private final Host host;
    private final Claims claims;
    private final ProgressWriter progress;
    private final CommitWriter commits;

    AttemptFlow(WorkerConfig config, Map<String, TaskHandler> handlers, CuratorFramework client, DroverPaths paths, MultiBatcher batcher,
                TaskStore store, Executor events, ExecutorService exec, ScheduledExecutorService timer, Host host) {
        this.config = config;
        this.handlers = handlers;
        this.ops = new AttemptOps(client, paths);
        this.batcher = batcher;
        this.store = store;
        this.events = events;
        this.exec = exec;
        this.timer = timer;
        this.host = host;
        this.claims = new Claims(client, paths, ops, batcher, store, events, config.id(), host);
        this.progress = new ProgressWriter(config, ops, batcher, store, events, timer, this::abandon);
        this.commits = new CommitWriter(config, ops, batcher, store, events, host, claims);
    }

    // ---- claim -------------------------------------------------------------------------------------

    void claim(Attempt a) {
        TaskStatus running = a.assignment.status().running(System.currentTimeMillis());
        List<CuratorOp> claimOps;
        try {
            claimOps = ops.claim(a, running);
        } catch (Exception e) {
            host.finished(a, TaskEvent.Kind.ABANDONED, null, "cannot build claim: " + e);
            return;
        }
        CompletableFuture<Optional<TaskSpec>> spec = a.assignment.spec() != null
                ? CompletableFuture.completedFuture(Optional.of(a.assignment.spec())) : store.spec(a.taskId());
        batcher.submit(claimOps).whenCompleteAsync((results, error) -> {
            if (error == null) {
                onClaimed(a, running, results.get(AttemptOps.CLAIM_STATUS_RESULT).getResultStat(), spec);
            } else {
                onClaimFailed(a, ZooKeeperCalls.unwrap(error), spec);
            }
        }, events);
    }

    private void onClaimed(Attempt a, TaskStatus running, Stat statusStat, CompletableFuture<Optional<TaskSpec>> spec) {
        a.runningStatus = running;
        a.runningVersion = statusStat.getVersion();
        a.token = statusStat.getMzxid();
        if (a.abandoned || a.handBackWhenClaimed) {
            // Abandoned or stopping while the claim was in flight, yet it went through: give it back, no live claim idles.
            spec.whenCompleteAsync((s, e) -> claims.release(a, s).whenCompleteAsync((x, e2) -> host.finished(a, TaskEvent.Kind.HANDED_BACK,
                    null, "not started"), events), events);
            return;
        }
        spec.whenCompleteAsync((s, e) -> run(a, s, e), events);
    }

    /**
     * A failed claim is usually a revoked assignment. But a multi retried after a connection loss
     * can fail on its own first success, so look: if the claim belongs to our current session and
     * the status says we run this attempt, we do.
     */
    private void onClaimFailed(Attempt a, Throwable error, CompletableFuture<Optional<TaskSpec>> spec) {
        if (error instanceof KeeperException.NoNodeException) {
            host.finished(a, TaskEvent.Kind.ABANDONED, null, "claim rejected: " + error); // the assignment is gone
            return;
        }
        claims.ownClaim(a).whenCompleteAsync((ours, e) -> {
            if (ours == null) {
                // Not ours (or unknown, and then the leader's assignment timeout or reconciliation recovers it).
                host.finished(a, TaskEvent.Kind.ABANDONED, null, "claim rejected: " + (e != null ? ZooKeeperCalls.unwrap(e) : error));
                return;
            }
            onClaimed(a, ours.getKey(), ours.getValue(), spec);
        }, events);
    }

    // ---- run -------------------------------------------------------------------------------------

    private void run(Attempt a, Optional<TaskSpec> spec, Throwable readError) {
        if (a.abandoned || a.phase != Attempt.Phase.CLAIMING) {
            return;
        }
        if (a.handBackWhenClaimed) {
            a.phase = Attempt.Phase.HANDING_BACK;
            claims.release(a, spec).whenCompleteAsync((x, e) -> host.finished(a, TaskEvent.Kind.HANDED_BACK, null, "not started"), events);
            return;
        }
        a.phase = Attempt.Phase.RUNNING;
        host.emit(TaskEvent.Kind.STARTED, a, null, null);
        if (readError != null) {
            // Transient (a connection problem): give the task back rather than fail it for good.
            LOG.warn("worker {} cannot read the spec of task {}: {}; giving it back", config.id(), a.taskId(), ZooKeeperCalls.unwrap(readError).toString());
            a.phase = Attempt.Phase.HANDING_BACK;
            claims.release(a, Optional.empty()).whenCompleteAsync((x, e) -> host.finished(a, TaskEvent.Kind.ABANDONED, null, "spec unreadable"), events);
            return;
        }
        if (spec.isEmpty()) {
            commit(a, new Outcome(TaskState.FAILED, null, "task spec is missing", false));
            return;
        }
        a.spec = spec.get();
        if (a.cancelRequested) {
            commit(a, new Outcome(TaskState.CANCELLED, null, "cancelled before it started", false));
            return;
        }
        TaskHandler handler = handlers.get(a.type());
        if (handler == null) {
            commit(a, new Outcome(TaskState.FAILED, null, "worker " + config.id() + " has no handler for type " + a.type(), false));
            return;
        }
        if (a.spec.timeoutMs() > 0) {
            a.timeout = timer.schedule(() -> events.execute(() -> onTimeout(a)), a.spec.timeoutMs(), TimeUnit.MILLISECONDS);
        }
        a.handlerFuture = exec.submit(() -> execute(a, handler));
    }

    private void execute(Attempt a, TaskHandler handler) {
        Outcome done = Outcome.ofHandler(handler, a);
        events.execute(() -> onHandlerReturned(a, done));
    }

    private void onHandlerReturned(Attempt a, Outcome outcome) {
        host.handlerExited(a);
        if (a.abandoned) {
            return;
        }
        // Once cancellation was asked for, what the handler returns is not trusted as complete.
        commit(a, a.cancelRequested ? new Outcome(TaskState.CANCELLED, null, "cancelled", false) : outcome);
    }

    private void onTimeout(Attempt a) {
        if (a.phase != Attempt.Phase.RUNNING || a.abandoned) {
            return;
        }
        a.stop();
        commit(a, new Outcome(TaskState.FAILED, null, "timed out after " + a.spec.timeoutMs() + " ms", true));
    }

    // ---- cancel ------------------------------------------------------------------------------------

    /** The leader flagged the assignment: stop the handler; commit CANCELLED when it stops, or at the grace deadline. */
    void requestCancel(Attempt a) {
        if (a.cancelRequested || a.abandoned) {
            return;
        }
        a.cancelRequested = true;
        if (a.phase != Attempt.Phase.RUNNING) {
            return; // still claiming: run() commits CANCELLED without starting the handler
        }
        if (a.handlerFuture == null) {
            commit(a, new Outcome(TaskState.CANCELLED, null, "cancelled", false));
            return;
        }
        a.stop();
        long graceMs = config.cancelGrace().toMillis();
        a.cancelDeadline = timer.schedule(() -> events.execute(() -> {
            if (a.phase == Attempt.Phase.RUNNING && !a.abandoned) {
                commit(a, new Outcome(TaskState.CANCELLED, null, "cancelled; the handler did not stop within " + graceMs + " ms", false));
            }
        }), graceMs, TimeUnit.MILLISECONDS);
    }

    // ---- progress ----------------------------------------------------------------------------------

    /** Any thread: the handler reported progress; the writer coalesces reports into one write per interval. */
    void progressReported(Attempt a) {
        progress.reported(a);
    }

    // ---- commit ------------------------------------------------------------------------------------

    private void commit(Attempt a, Outcome outcome) {
        if (a.abandoned || a.phase != Attempt.Phase.RUNNING) {
            return;
        }
        a.phase = Attempt.Phase.COMMITTING;
        a.cancelTimers();
        // Once cancellation is asked for, a timeout or a failure must not turn into a retry.
        Outcome last = a.cancelRequested && outcome.state() != TaskState.CANCELLED
                ? new Outcome(TaskState.CANCELLED, null, "cancelled (" + (outcome.error() == null ? "handler returned" : outcome.error()) + ")", false)
                : outcome;
        a.statusWrite.whenCompleteAsync((x, e) -> commits.write(a, last), events);
    }

    // ---- abandon and hand back -------------------------------------------------------------------

    void abandon(Attempt a, String why, boolean sessionLost) {
        if (a.phase == Attempt.Phase.DONE || a.phase == Attempt.Phase.COMMITTING || a.phase == Attempt.Phase.HANDING_BACK) {
            return; // our own write is in flight and settles the attempt
        }
        a.abandoned = true;
        a.cancelTimers();
        a.stop();
        LOG.info("worker {} abandons task {} attempt {}: {}", config.id(), a.taskId(), a.attempt(), why);
        boolean claimed = a.phase == Attempt.Phase.RUNNING;
        host.finished(a, TaskEvent.Kind.ABANDONED, null, why);
        if (claimed && !sessionLost) {
            claims.dropClaimIfOurs(a); // a claim of our live session would keep the task RUNNING with nobody on it
        }
    }

    void abandon(Attempt a, String why) {
        abandon(a, why, false);
    }

    /** Worker stopping: stop the handler and give the attempt back; null if there is nothing to give back. */
    CompletableFuture<?> handBack(Attempt a) {
        if (a.phase == Attempt.Phase.CLAIMING) {
            a.handBackWhenClaimed = true; // onClaimed gives it back; the caller waits for it to settle
            return a.settled;
        }
        if (a.phase == Attempt.Phase.HANDING_BACK || a.phase == Attempt.Phase.COMMITTING) {
            return a.settled; // already on its way (a drain's hand-back, a commit): wait for it rather than cut it off
        }
        if (a.phase != Attempt.Phase.RUNNING || a.spec == null) {
            return null;
        }
        a.cancelTimers();
        a.stop();
        a.phase = Attempt.Phase.HANDING_BACK;
        CompletableFuture<Void> done = new CompletableFuture<>();
        // after any progress write in flight, whose version the hand-back builds on
        a.statusWrite.whenCompleteAsync((x, e0) -> {
            try {
                batcher.submit(ops.handBack(a)).whenCompleteAsync((r, e) -> {
                    if (e == null) {
                        host.finished(a, TaskEvent.Kind.HANDED_BACK, null, "worker stopping");
                    } else {
                        host.finished(a, TaskEvent.Kind.ABANDONED, null, "hand-back rejected: " + ZooKeeperCalls.unwrap(e));
                    }
                    done.complete(null);
                }, events);
            } catch (Exception e) {
                LOG.warn("worker {} cannot hand back task {}: {}", config.id(), a.taskId(), e.toString());
                done.complete(null);
            }
        }, events);
        return done;
    }
}
