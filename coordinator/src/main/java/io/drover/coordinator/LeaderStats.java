package io.drover.coordinator;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the leader knows of the cluster from its own memory, for metrics: the leader takes it on its
 * thread about once a second, so reading it costs no ZooKeeper call and never blocks.
 *
 * @param epoch the term that took it
 * @param takenAtMs when, by the leader's clock
 * @param pendingByType pending tasks of each type, those waiting out a backoff or a delayed start
 *     included
 * @param assignedByType tasks of each type assigned to a worker and not yet ended (claimed and
 *     running, or about to be: the leader does not watch claims, so it does not tell them apart)
 * @param activeWorkers workers that take work
 * @param drainingWorkers workers that finish what they run and take nothing new
 */
public record LeaderStats(
        long epoch,
        long takenAtMs,
        Map<String, Long> pendingByType,
        Map<String, Long> assignedByType,
        int activeWorkers,
        int drainingWorkers) {
    public LeaderStats {
        pendingByType = Collections.unmodifiableMap(new TreeMap<>(pendingByType));
        assignedByType = Collections.unmodifiableMap(new TreeMap<>(assignedByType));
    }
}
