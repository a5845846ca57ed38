package io.drover.worker.internal;

import io.drover.model.DroverJson;
import io.drover.model.TaskAttempt;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.runtime.MultiBatcher;
import io.drover.store.TaskStore;
import io.drover.worker.TaskEvent;
import io.drover.worker.WorkerConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes how an attempt ended: the terminal status, or the next attempt after its backoff, in one
 * fenced multi over the RUNNING version. After a failure the commit may have applied before a
 * connection loss, or not applied at all while the attempt is still ours; the status tells which,
 * and only someone else's write means the attempt was stale. Event thread only.
 */
final class CommitWriter {
    private static final Logger LOG = LoggerFactory.getLogger(CommitWriter.class);
    private static final int MAX_ERROR_CHARS = 2_000;

    private final WorkerConfig config;
    private final AttemptOps ops;
    private final MultiBatcher batcher;
    private final TaskStore store;
    private final Executor events;
    private final Claims claims;
    private final Settled host;

    /** How the commit settled. Called on the event thread. */
    interface Settled {
        void finished(Attempt a, TaskEvent.Kind kind, TaskState state, String detail);
    }

    CommitWriter(
            WorkerConfig config,
            AttemptOps ops,
            MultiBatcher batcher,
            TaskStore store,
            Executor events,
            Claims claims,
            Settled host) {
        this.config = config;
        this.ops = ops;
        this.batcher = batcher;
        this.store = store;
        this.events = events;
        this.host = host;
        this.claims = claims;
    }

    void write(Attempt a, Outcome outcome) {
        long now = System.currentTimeMillis();
        boolean retry =
                outcome.state() == TaskState.FAILED
                        && outcome.retryable()
                        && a.spec != null
                        && a.attempt() < a.assignment.status().maxAttempts();
        String error =
                outcome.error() == null || outcome.error().length() <= MAX_ERROR_CHARS
                        ? outcome.error()
                        : outcome.error().substring(0, MAX_ERROR_CHARS) + "...";
        TaskStatus written;
        List<CuratorOp> commitOps;
        try {
            if (retry) {
                long notBefore = now + a.spec.retryPolicy().backoffMs(a.attempt());
                written =
                        a.runningStatus
                                .attemptEnded(TaskAttempt.Outcome.FAILED, error, a.token, now)
                                .requeued(a.attempt() + 1, error, notBefore);
                commitOps = ops.requeue(a, written);
            } else {
                written =
                        ended(a, outcome.state(), error, now)
                                .finished(outcome.state(), a.token, outcome.result(), error, now);
                byte[] data = DroverJson.encode(written);
                if (data.length > config.maxResultBytes()) {
                    String tooLarge =
                            "result is "
                                    + data.length
                                    + " bytes, over the worker's maxResultBytes of "
                                    + config.maxResultBytes();
                    written =
                            ended(a, TaskState.FAILED, tooLarge, now)
                                    .finished(TaskState.FAILED, a.token, null, tooLarge, now);
                    data = DroverJson.encode(written);
                }
                commitOps = ops.commit(a, written, data);
            }
        } catch (Exception e) {
            host.finished(a, TaskEvent.Kind.ABANDONED, null, "cannot build commit: " + e);
            return;
        }
        submit(a, written, commitOps, 3);
    }

    private void submit(Attempt a, TaskStatus committed, List<CuratorOp> commitOps, int triesLeft) {
        batcher.submit(commitOps)
                .whenCompleteAsync(
                        (r, e) -> {
                            if (e == null) {
                                a.committed = committed;
                                host.finished(
                                        a,
                                        TaskEvent.Kind.COMMITTED,
                                        committed.state(),
                                        committed.error());
                            } else {
                                verify(
                                        a,
                                        committed,
                                        commitOps,
                                        ZooKeeperCalls.unwrap(e),
                                        triesLeft);
                            }
                        },
                        events);
    }

    private void verify(
            Attempt a,
            TaskStatus written,
            List<CuratorOp> commitOps,
            Throwable error,
            int triesLeft) {
        store.status(a.taskId())
                .whenCompleteAsync(
                        (status, e) -> {
                            if (e != null && triesLeft > 0) {
                                verify(a, written, commitOps, error, triesLeft - 1);
                            } else if (e != null) {
                                claims.release(a, Optional.ofNullable(a.spec))
                                        .whenCompleteAsync(
                                                (x, e2) ->
                                                        host.finished(
                                                                a,
                                                                TaskEvent.Kind.ABANDONED,
                                                                null,
                                                                "commit outcome unknown: "
                                                                        + ZooKeeperCalls.unwrap(e)),
                                                events);
                            } else if (status.isPresent()
                                    && sameCommit(status.get().value(), written)) {
                                a.committed = written;
                                host.finished(
                                        a,
                                        TaskEvent.Kind.COMMITTED,
                                        written.state(),
                                        written.error());
                            } else if (status.isPresent()
                                    && status.get().version() == a.runningVersion
                                    && triesLeft > 0) {
                                submit(
                                        a,
                                        written,
                                        commitOps,
                                        triesLeft - 1); // not applied, still ours: try again
                            } else {
                                LOG.warn(
                                        "worker {}: stale commit of task {} attempt {} rejected by ZooKeeper ({})",
                                        config.id(),
                                        a.taskId(),
                                        a.attempt(),
                                        error.toString());
                                host.finished(
                                        a,
                                        TaskEvent.Kind.REJECTED,
                                        written.state(),
                                        error.toString());
                            }
                        },
                        events);
    }

    /** The running status with this attempt's end in its history. */
    private static TaskStatus ended(Attempt a, TaskState state, String error, long now) {
        return a.runningStatus.attemptEnded(
                TaskAttempt.Outcome.valueOf(state.name()), error, a.token, now);
    }

    /**
     * Compares what identifies a write; JSON results may not survive a round trip bit for bit (int
     * vs long).
     */
    private static boolean sameCommit(TaskStatus read, TaskStatus written) {
        return read.state() == written.state()
                && read.fencingToken() == written.fencingToken()
                && read.finishedAtMs() == written.finishedAtMs()
                && read.attempt() == written.attempt()
                && read.notBeforeMs() == written.notBeforeMs()
                && Objects.equals(read.workerId(), written.workerId());
    }
}
