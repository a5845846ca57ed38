package io.drover.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.Progress;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.runtime.MultiBatcher;
import io.drover.store.TaskStore;
import io.drover.worker.TaskEvent;
import io.drover.worker.TaskFailedException;
import io.drover.worker.TaskHandler;
import io.drover.worker.WorkerConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    private static final int MAX_ERROR_CHARS = 2_000;

    /** What the flow needs from the worker. Called on the event thread. */
    interface Host {
        long sessionId();

        void emit(TaskEvent.Kind kind, Attempt a, TaskState state, String detail);

        /** The attempt is over on this worker (its slot may still be held by a running handler). */
        void finished(Attempt a, TaskEvent.Kind kind, TaskState state, String detail);

        /** The attempt's handler has returned: its pool thread is free. */
        void handlerExited(Attempt a);
    }

    private record Outcome(TaskState state, JsonNode result, String error, boolean retryable) {}

    private final WorkerConfig config;
    private final Map<String, TaskHandler> handlers;
    private final CuratorFramework client;
    private final DroverPaths paths;
    private final AttemptOps ops;
    private final MultiBatcher batcher;
    private final TaskStore store;
    private final Executor events;
    private final ExecutorService exec;
    private final ScheduledExecutorService timer;
    private final Host host;

    AttemptFlow(WorkerConfig config, Map<String, TaskHandler> handlers, CuratorFramework client, DroverPaths paths, MultiBatcher batcher,
                TaskStore store, Executor events, ExecutorService exec, ScheduledExecutorService timer, Host host) {
        this.config = config;
        this.handlers = handlers;
        this.client = client;
        this.paths = paths;
        this.ops = new AttemptOps(client, paths);
        this.batcher = batcher;
        this.store = store;
        this.events = events;
        this.exec = exec;
        this.timer = timer;
        this.host = host;
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
            spec.whenCompleteAsync((s, e) -> release(a, s).whenCompleteAsync((x, e2) -> host.finished(a, TaskEvent.Kind.HANDED_BACK,
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
        store.status(a.taskId()).thenCombine(claimStat(a.taskId()), (status, claim) -> {
            boolean ours = claim != null && claim.getEphemeralOwner() == host.sessionId() && status.isPresent()
                    && status.get().value().state() == TaskState.RUNNING
                    && config.id().equals(status.get().value().workerId())
                    && status.get().value().attempt() == a.attempt();
            return ours ? Map.entry(status.get(), claim) : null;
        }).whenCompleteAsync((ours, e) -> {
            if (ours == null) {
                // Not ours (or unknown, and then the leader's assignment timeout or reconciliation recovers it).
                host.finished(a, TaskEvent.Kind.ABANDONED, null, "claim rejected: " + (e != null ? ZooKeeperCalls.unwrap(e) : error));
                return;
            }
            Versioned<TaskStatus> status = ours.getKey();
            // Claim and RUNNING status were written by one multi, so the claim's czxid is that multi's zxid.
            Stat stat = new Stat();
            stat.setVersion(status.version());
            stat.setMzxid(ours.getValue().getCzxid());
            onClaimed(a, status.value(), stat, spec);
        }, events);
    }

    private CompletableFuture<Stat> claimStat(String taskId) {
        CompletableFuture<Stat> f = new CompletableFuture<>();
        try {
            client.checkExists().inBackground((c, e) -> f.complete(e.getStat())).forPath(paths.claim(taskId));
        } catch (Exception e) {
            f.complete(null);
        }
        return f;
    }

    /**
     * Gives back an attempt this worker still holds but will not finish: hands it back when it can
     * (same attempt, fenced by our status version); otherwise drops our claim, if it is still ours,
     * so that the leader's reconciliation recovers the task instead of it staying RUNNING for ever.
     */
    private CompletableFuture<Void> release(Attempt a, Optional<TaskSpec> spec) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            if (spec != null && spec.isPresent() && a.runningStatus != null) {
                a.spec = spec.get();
                batcher.submit(ops.handBack(a)).whenCompleteAsync((r, e) -> {
                    if (e == null) {
                        LOG.info("worker {} handed back task {} it could not finish", config.id(), a.taskId());
                        done.complete(null);
                    } else {
                        dropClaimIfOurs(a).whenComplete((x, e2) -> done.complete(null));
                    }
                }, events);
            } else {
                dropClaimIfOurs(a).whenComplete((x, e) -> done.complete(null));
            }
        } catch (Exception e) {
            LOG.warn("worker {} cannot release task {}: {}", config.id(), a.taskId(), e.toString());
            done.complete(null);
        }
        return done;
    }

    private CompletableFuture<Void> dropClaimIfOurs(Attempt a) {
        long session = host.sessionId();
        return claimStat(a.taskId()).thenCompose(stat -> {
            if (stat == null || stat.getEphemeralOwner() != session) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            try {
                client.delete().withVersion(stat.getVersion()).inBackground((c, e) -> f.complete(null)).forPath(paths.claim(a.taskId()));
            } catch (Exception e) {
                f.complete(null);
            }
            return f;
        });
    }

    // ---- run -------------------------------------------------------------------------------------

    private void run(Attempt a, Optional<TaskSpec> spec, Throwable readError) {
        if (a.abandoned || a.phase != Attempt.Phase.CLAIMING) {
            return;
        }
        if (a.handBackWhenClaimed) {
            a.phase = Attempt.Phase.HANDING_BACK;
            release(a, spec).whenCompleteAsync((x, e) -> host.finished(a, TaskEvent.Kind.HANDED_BACK, null, "not started"), events);
            return;
        }
        a.phase = Attempt.Phase.RUNNING;
        host.emit(TaskEvent.Kind.STARTED, a, null, null);
        if (readError != null) {
            // Transient (a connection problem): give the task back rather than fail it for good.
            LOG.warn("worker {} cannot read the spec of task {}: {}; giving it back", config.id(), a.taskId(), ZooKeeperCalls.unwrap(readError).toString());
            a.phase = Attempt.Phase.HANDING_BACK;
            release(a, Optional.empty()).whenCompleteAsync((x, e) -> host.finished(a, TaskEvent.Kind.ABANDONED, null, "spec unreadable"), events);
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
        a.handlerStarted = true;
        Outcome outcome;
        try {
            Object result = handler.handle(a);
            outcome = new Outcome(TaskState.SUCCEEDED, result == null ? null : DroverJson.mapper().valueToTree(result), null, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new Outcome(TaskState.FAILED, null, "interrupted", true);
        } catch (TaskFailedException e) {
            outcome = new Outcome(TaskState.FAILED, null, String.valueOf(e.getMessage()), e.isRetryable());
        } catch (IllegalArgumentException e) {
            boolean encoding = e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException;
            outcome = new Outcome(TaskState.FAILED, null, encoding ? "result is not JSON-encodable: " + e.getMessage() : describe(e), true);
        } catch (Throwable e) { // even an Error must end the attempt, or it would hold its claim for ever
            outcome = new Outcome(TaskState.FAILED, null, describe(e), true);
        } finally {
            a.handlerDone = true;
        }
        Outcome done = outcome;
        events.execute(() -> onHandlerReturned(a, done));
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
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

    /** Any thread: coalesces reports into at most one write per interval. */
    void progressReported(Attempt a) {
        if (!a.progressScheduled.compareAndSet(false, true)) {
            return;
        }
        long delay = Math.max(0, a.lastProgressWriteMs + config.progressInterval().toMillis() - System.currentTimeMillis());
        try {
            timer.schedule(() -> events.execute(() -> writeProgress(a)), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            a.progressScheduled.set(false);
        }
    }

    private void writeProgress(Attempt a) {
        if (!a.statusWrite.isDone()) {
            // One status write at a time per attempt: each one's version is the previous one's result.
            a.statusWrite.whenCompleteAsync((x, e) -> writeProgress(a), events);
            return;
        }
        a.progressScheduled.set(false);
        Progress p = a.latestProgress;
        if (a.phase != Attempt.Phase.RUNNING || a.abandoned || p == null || samePoint(p, a.runningStatus.progress())) {
            return;
        }
        TaskStatus next = a.runningStatus.withProgress(p);
        a.lastProgressWriteMs = System.currentTimeMillis();
        CompletableFuture<Void> write = new CompletableFuture<>();
        a.statusWrite = write;
        try {
            batcher.submit(ops.progress(a, next)).whenCompleteAsync((r, e) -> {
                if (e == null) {
                    a.runningStatus = next;
                    a.runningVersion = r.get(0).getResultStat().getVersion();
                    write.complete(null);
                } else {
                    recheckAfterProgressFailure(a, ZooKeeperCalls.unwrap(e), write);
                }
            }, events);
        } catch (Exception e) {
            write.complete(null);
        }
    }

    /** A failed progress write may have applied before a connection loss; only someone else's write means we lost the task. */
    private void recheckAfterProgressFailure(Attempt a, Throwable error, CompletableFuture<Void> write) {
        store.status(a.taskId()).whenCompleteAsync((status, e) -> {
            try {
                if (a.abandoned || a.phase != Attempt.Phase.RUNNING) {
                    return;
                }
                TaskStatus s = status == null ? null : status.map(Versioned::value).orElse(null);
                if (e == null && s != null && s.state() == TaskState.RUNNING && config.id().equals(s.workerId()) && s.attempt() == a.attempt()) {
                    a.runningStatus = s;
                    a.runningVersion = status.get().version();
                } else if (e == null) {
                    abandon(a, "status moved on under a progress write: " + error);
                }
            } finally {
                write.complete(null);
            }
        }, events);
    }

    private static boolean samePoint(Progress a, Progress b) {
        return b != null && a.percent() == b.percent() && Objects.equals(a.message(), b.message());
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
        a.statusWrite.whenCompleteAsync((x, e) -> write(a, last), events);
    }

    private void write(Attempt a, Outcome outcome) {
        long now = System.currentTimeMillis();
        boolean retry = outcome.state() == TaskState.FAILED && outcome.retryable() && a.spec != null
                && a.attempt() < a.assignment.status().maxAttempts();
        String error = outcome.error() == null || outcome.error().length() <= MAX_ERROR_CHARS ? outcome.error()
                : outcome.error().substring(0, MAX_ERROR_CHARS) + "...";
        TaskStatus written;
        List<CuratorOp> commitOps;
        try {
            if (retry) {
                long notBefore = now + a.spec.retryPolicy().backoffMs(a.attempt());
                written = a.runningStatus.requeued(a.attempt() + 1, error, notBefore);
                commitOps = ops.requeue(a, written);
            } else {
                written = a.runningStatus.finished(outcome.state(), a.token, outcome.result(), error, now);
                byte[] data = DroverJson.encode(written);
                if (data.length > config.maxResultBytes()) {
                    written = a.runningStatus.finished(TaskState.FAILED, a.token, null, "result is " + data.length
                            + " bytes, over the worker's maxResultBytes of " + config.maxResultBytes(), now);
                    data = DroverJson.encode(written);
                }
                commitOps = ops.commit(a, written, data);
            }
        } catch (Exception e) {
            host.finished(a, TaskEvent.Kind.ABANDONED, null, "cannot build commit: " + e);
            return;
        }
        TaskStatus committed = written;
        submitCommit(a, committed, commitOps, 3);
    }

    private void submitCommit(Attempt a, TaskStatus committed, List<CuratorOp> commitOps, int triesLeft) {
        batcher.submit(commitOps).whenCompleteAsync((r, e) -> {
            if (e == null) {
                host.finished(a, TaskEvent.Kind.COMMITTED, committed.state(), committed.error());
            } else {
                verifyCommit(a, committed, commitOps, ZooKeeperCalls.unwrap(e), triesLeft);
            }
        }, events);
    }

    /**
     * After a failure the commit may have applied before a connection loss, or not applied at all
     * while the attempt is still ours; the status tells which, and only someone else's write means
     * the attempt was stale.
     */
    private void verifyCommit(Attempt a, TaskStatus written, List<CuratorOp> commitOps, Throwable error, int triesLeft) {
        store.status(a.taskId()).whenCompleteAsync((status, e) -> {
            if (e != null && triesLeft > 0) {
                verifyCommit(a, written, commitOps, error, triesLeft - 1);
            } else if (e != null) {
                release(a, Optional.ofNullable(a.spec)).whenCompleteAsync((x, e2) ->
                        host.finished(a, TaskEvent.Kind.ABANDONED, null, "commit outcome unknown: " + ZooKeeperCalls.unwrap(e)), events);
            } else if (status.isPresent() && sameCommit(status.get().value(), written)) {
                host.finished(a, TaskEvent.Kind.COMMITTED, written.state(), written.error());
            } else if (status.isPresent() && status.get().version() == a.runningVersion && triesLeft > 0) {
                submitCommit(a, written, commitOps, triesLeft - 1); // not applied, still ours: try again
            } else {
                LOG.warn("worker {}: stale commit of task {} attempt {} rejected by ZooKeeper ({})", config.id(), a.taskId(), a.attempt(), error.toString());
                host.finished(a, TaskEvent.Kind.REJECTED, written.state(), error.toString());
            }
        }, events);
    }

    /** Compares what identifies a write; JSON results may not survive a round trip bit for bit (int vs long). */
    private static boolean sameCommit(TaskStatus read, TaskStatus written) {
        return read.state() == written.state() && read.fencingToken() == written.fencingToken()
                && read.finishedAtMs() == written.finishedAtMs() && read.attempt() == written.attempt()
                && read.notBeforeMs() == written.notBeforeMs() && Objects.equals(read.workerId(), written.workerId());
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
            dropClaimIfOurs(a); // a claim of our live session would keep the task RUNNING with nobody on it
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
