package io.drover.worker;

import io.drover.model.Names;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Immutable, validated worker settings.
 *
 * @param id              worker id, unique in the cluster; a restarted worker may reuse it
 * @param cluster         cluster name: everything lives under {@code /drover/<cluster>}
 * @param capacity        tasks run at once, and the size of the handler thread pool
 * @param labels          announced labels that tasks may require
 * @param maxResultBytes  cap on an encoded result; larger results fail the attempt with a clear error
 * @param shutdownTimeout how long {@link Worker#close()} waits for hand-backs and handlers
 * @param progressInterval at most one progress write per task per interval
 * @param cancelGrace     how long a cancelled handler may take to stop before the worker commits CANCELLED anyway
 * @param drainGrace      how long a draining worker lets its running tasks finish before it hands the rest back
 */
public record WorkerConfig(String id, String cluster, int capacity, Map<String, String> labels, int maxResultBytes,
                           Duration shutdownTimeout, Duration progressInterval, Duration cancelGrace,
                           Duration drainGrace) {
    public WorkerConfig {
        Names.checkId("worker id", id);
        Names.checkName("cluster", cluster);
        if (capacity < 1 || capacity > 10_000) {
            throw new IllegalArgumentException("capacity must be between 1 and 10000, was " + capacity);
        }
        labels = Map.copyOf(new TreeMap<>(labels));
        Names.checkLabels("labels", labels);
        if (maxResultBytes < 1024 || maxResultBytes > 900 * 1024) {
            throw new IllegalArgumentException("maxResultBytes must be between 1024 and 921600, was " + maxResultBytes);
        }
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative");
        }
        if (progressInterval.toMillis() < 10) {
            throw new IllegalArgumentException("progressInterval must be at least 10 ms, was " + progressInterval);
        }
        if (cancelGrace.isNegative()) {
            throw new IllegalArgumentException("cancelGrace must not be negative");
        }
        if (drainGrace.isNegative()) {
            throw new IllegalArgumentException("drainGrace must not be negative");
        }
    }
}
