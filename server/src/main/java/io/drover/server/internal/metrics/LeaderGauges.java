package io.drover.server.internal.metrics;

import io.drover.coordinator.Coordinator;
import io.drover.coordinator.LeaderStats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leader's gauges of the cluster (tasks pending and assigned per type, workers by state), all
 * from one {@link LeaderStats} per scrape: a registry calls its collectors in no set order, so
 * gauges that each asked for the stats could straddle a new snapshot, and a scrape show pending
 * tasks from the leader but no workers. Not the leader: none of them. Thread-safe.
 */
final class LeaderGauges implements MultiCollector {
    private final Coordinator coordinator;

    /** Every type seen, shown at 0 once it has none rather than vanishing: graphs drop to 0. */
    private final Set<String> types = ConcurrentHashMap.newKeySet();

    LeaderGauges(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public MetricSnapshots collect() {
        Optional<LeaderStats> taken = coordinator.leaderStats();
        if (taken.isEmpty()) {
            return MetricSnapshots.of();
        }
        LeaderStats s = taken.get();
        types.addAll(s.pendingByType().keySet());
        types.addAll(s.assignedByType().keySet());
        GaugeSnapshot workers =
                GaugeSnapshot.builder()
                        .name("drover_workers")
                        .help(
                                "Live workers the leader admitted, by state (active, draining); leader only")
                        .dataPoint(point(s.activeWorkers(), "state", "active"))
                        .dataPoint(point(s.drainingWorkers(), "state", "draining"))
                        .build();
        return MetricSnapshots.of(
                byType(
                        "drover_tasks_pending",
                        "Pending tasks by type, those waiting out a backoff or a delayed start"
                                + " included (the queue depth); leader only",
                        s.pendingByType()),
                byType(
                        "drover_tasks_assigned",
                        "Tasks assigned to workers and not yet ended, by type: running, or about to"
                                + " be claimed; leader only",
                        s.assignedByType()),
                workers);
    }

    private GaugeSnapshot byType(String name, String help, Map<String, Long> counts) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (String type : types) {
            b.dataPoint(point(counts.getOrDefault(type, 0L), "type", type));
        }
        return b.build();
    }

    private static GaugeDataPointSnapshot point(double value, String label, String labelValue) {
        return GaugeDataPointSnapshot.builder()
                .value(value)
                .labels(Labels.of(label, labelValue))
                .build();
    }
}
