package io.drover.worker.internal;

import io.drover.protocol.runtime.NamedThreads;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The worker's threads, named after it and owned by its lifecycle: one event thread ({@code
 * drover-worker-<id>-events}) where every decision happens, {@code capacity} handler threads
 * ({@code -exec-N}) and one timer ({@code -timer}).
 */
record WorkerThreads(
        ExecutorService events, ThreadPoolExecutor exec, ScheduledExecutorService timer) {

    static WorkerThreads create(String workerId, int capacity) {
        String prefix = "drover-worker-" + workerId;
        return new WorkerThreads(
                Executors.newSingleThreadExecutor(new NamedThreads(prefix + "-events")),
                new ThreadPoolExecutor(
                        capacity,
                        capacity,
                        0,
                        TimeUnit.MILLISECONDS,
                        new LinkedBlockingQueue<>(),
                        new NamedThreads(prefix + "-exec")),
                Executors.newSingleThreadScheduledExecutor(new NamedThreads(prefix + "-timer")));
    }

    /**
     * Stops them all: events finish what is queued, handlers are interrupted; waits up to {@code
     * timeout} for each pool.
     */
    void shutdown(Duration timeout) {
        events.shutdown();
        timer.shutdownNow();
        exec.shutdownNow();
        try {
            exec.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
            events.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
