package io.drover.worker;

import io.drover.model.Names;
import io.drover.model.WorkerInfo;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Immutable, validated worker settings.
 *
 * @param id worker id, unique in the cluster; a restarted worker may reuse it
 * @param cluster cluster name: everything lives under {@code /drover/<cluster>}
 * @param capacity tasks run at once, and the size of the handler thread pool
 * @param labels announced labels that tasks may require
 * @param maxResultBytes cap on an encoded result; larger results fail the attempt with a clear
 *     error
 * @param shutdownTimeout how long {@link Worker#close()} waits for hand-backs and handlers
 * @param progressInterval at most one progress write per task per interval
 * @param cancelGrace how long a cancelled handler may take to stop before the worker commits
 *     CANCELLED anyway
 * @param drainGrace how long a draining worker lets its running tasks finish before it hands the
 *     rest back
 * @param items how the item handler runs, if there is one
 */
public record WorkerConfig(
        String id,
        String cluster,
        int capacity,
        Map<String, String> labels,
        int maxResultBytes,
        Duration shutdownTimeout,
        Duration progressInterval,
        Duration cancelGrace,
        Duration drainGrace,
        ItemSettings items) {
    /**
     * Tasks a worker runs at once unless told otherwise, for the library and the server alike.
     * Eight, not the CPU count: handlers are often I/O-bound; set it to what your handlers can run
     * in parallel.
     */
    public static final int DEFAULT_CAPACITY = 8;

    /**
     * How item loads and drops run.
     *
     * @param concurrency item handler calls at once (the item thread pool)
     * @param timeout bound on one load or drop call; the thread is interrupted after it
     * @param maxAttempts calls before a load is reported failed (the leader tries another worker)
     * @param retryBackoff wait before the second call, doubling after each failure
     */
    public record ItemSettings(
            int concurrency, Duration timeout, int maxAttempts, Duration retryBackoff) {
        public static final ItemSettings DEFAULTS =
                new ItemSettings(2, Duration.ofMinutes(10), 3, Duration.ofSeconds(1));

        public ItemSettings {
            if (concurrency < 1 || concurrency > 256) {
                throw new IllegalArgumentException(
                        "itemConcurrency must be between 1 and 256, was " + concurrency);
            }
            if (timeout.toMillis() < 10) {
                throw new IllegalArgumentException(
                        "itemTimeout must be at least 10 ms, was " + timeout);
            }
            if (maxAttempts < 1 || maxAttempts > 100) {
                throw new IllegalArgumentException(
                        "itemMaxAttempts must be between 1 and 100, was " + maxAttempts);
            }
            if (retryBackoff.isNegative()) {
                throw new IllegalArgumentException("itemRetryBackoff must not be negative");
            }
        }
    }

    public WorkerConfig {
        Names.checkId("worker id", id);
        Names.checkName("cluster", cluster);
        if (capacity < 1 || capacity > WorkerInfo.MAX_CAPACITY) {
            throw new IllegalArgumentException(
                    "capacity must be between 1 and "
                            + WorkerInfo.MAX_CAPACITY
                            + ", was "
                            + capacity);
        }
        labels = Map.copyOf(new TreeMap<>(labels));
        Names.checkLabels("labels", labels);
        if (maxResultBytes < 1024 || maxResultBytes > 900 * 1024) {
            throw new IllegalArgumentException(
                    "maxResultBytes must be between 1024 and 921600, was " + maxResultBytes);
        }
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative");
        }
        if (progressInterval.toMillis() < 10) {
            throw new IllegalArgumentException(
                    "progressInterval must be at least 10 ms, was " + progressInterval);
        }
        if (cancelGrace.isNegative()) {
            throw new IllegalArgumentException("cancelGrace must not be negative");
        }
        if (drainGrace.isNegative()) {
            throw new IllegalArgumentException("drainGrace must not be negative");
        }
    }
}
