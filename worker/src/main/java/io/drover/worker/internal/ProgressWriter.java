package io.drover.worker.internal;

import io.drover.model.Progress;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.runtime.MultiBatcher;
import io.drover.store.TaskStore;
import io.drover.worker.WorkerConfig;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Writes what a running handler reports: at most one write per progress interval, each a versioned
 * rewrite of the RUNNING status over the one before, one at a time per attempt (each one's version
 * is the previous one's result). Decisions on the worker's event thread; reports from any thread.
 */
final class ProgressWriter {
    private final WorkerConfig config;
    private final AttemptOps ops;
    private final MultiBatcher batcher;
    private final TaskStore store;
    private final Executor events;
    private final ScheduledExecutorService timer;
    private final BiConsumer<Attempt, String> abandon;

    /**
     * @param abandon called when the status moved on under us: the attempt is no longer ours
     */
    ProgressWriter(
            WorkerConfig config,
            AttemptOps ops,
            MultiBatcher batcher,
            TaskStore store,
            Executor events,
            ScheduledExecutorService timer,
            BiConsumer<Attempt, String> abandon) {
        this.config = config;
        this.ops = ops;
        this.batcher = batcher;
        this.store = store;
        this.events = events;
        this.timer = timer;
        this.abandon = abandon;
    }

    /** Any thread: coalesces reports into at most one write per interval. */
    void reported(Attempt a) {
        if (!a.progressScheduled.compareAndSet(false, true)) {
            return;
        }
        long delay =
                Math.max(
                        0,
                        a.lastProgressWriteMs
                                + config.progressInterval().toMillis()
                                - System.currentTimeMillis());
        try {
            timer.schedule(() -> events.execute(() -> write(a)), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            a.progressScheduled.set(false);
        }
    }

    private void write(Attempt a) {
        if (!a.statusWrite.isDone()) {
            // One status write at a time per attempt: each one's version is the previous one's
            // result.
            a.statusWrite.whenCompleteAsync((x, e) -> write(a), events);
            return;
        }
        a.progressScheduled.set(false);
        Progress p = a.latestProgress;
        if (!(a.state instanceof AttemptState.Running)
                || p == null
                || samePoint(p, a.runningStatus.progress())) {
            return;
        }
        TaskStatus next = a.runningStatus.withProgress(p);
        a.lastProgressWriteMs = System.currentTimeMillis();
        CompletableFuture<Void> write = new CompletableFuture<>();
        a.statusWrite = write;
        try {
            batcher.submit(ops.progress(a, next))
                    .whenCompleteAsync(
                            (r, e) -> {
                                if (e == null) {
                                    a.runningStatus = next;
                                    a.runningVersion = r.get(0).getResultStat().getVersion();
                                    write.complete(null);
                                } else {
                                    recheckAfterFailure(a, ZooKeeperCalls.unwrap(e), write);
                                }
                            },
                            events);
        } catch (Exception e) {
            write.complete(null);
        }
    }

    /**
     * A failed progress write may have applied before a connection loss; only someone else's write
     * means we lost the task.
     */
    private void recheckAfterFailure(Attempt a, Throwable error, CompletableFuture<Void> write) {
        store.status(a.taskId())
                .whenCompleteAsync(
                        (status, e) -> {
                            try {
                                if (!(a.state instanceof AttemptState.Running)) {
                                    return;
                                }
                                TaskStatus s =
                                        status == null
                                                ? null
                                                : status.map(Versioned::value).orElse(null);
                                if (e == null
                                        && s != null
                                        && s.state() == TaskState.RUNNING
                                        && config.id().equals(s.workerId())
                                        && s.attempt() == a.attempt()) {
                                    a.runningStatus = s.withAttemptToken(a.token);
                                    a.runningVersion = status.get().version();
                                } else if (e == null) {
                                    abandon.accept(
                                            a, "status moved on under a progress write: " + error);
                                }
                            } finally {
                                write.complete(null);
                            }
                        },
                        events);
    }

    private static boolean samePoint(Progress a, Progress b) {
        return b != null && a.percent() == b.percent() && Objects.equals(a.message(), b.message());
    }
}
