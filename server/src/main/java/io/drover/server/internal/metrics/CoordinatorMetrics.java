package io.drover.server.internal.metrics;

import io.dropwizard.core.setup.Environment;
import io.drover.coordinator.Coordinator;
import io.drover.coordinator.CoordinatorListener;
import io.drover.model.DroverPaths;
import io.drover.model.TaskStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.curator.framework.CuratorFramework;

/**
 * A coordinator server's metrics. The cluster's gauges (tasks pending and assigned per type,
 * workers, znodes) come from the leader only, so a sum or max over all coordinators counts them
 * once; the leader reads them from its own memory ({@link LeaderStats}), except the znode counts
 * ({@link ZnodeCounts}). Ends the leader writes itself and leadership changes come from a {@link
 * CoordinatorListener}.
 */
public final class CoordinatorMetrics {
    private final ApiMetrics api;

    private CoordinatorMetrics(ApiMetrics api) {
        this.api = api;
    }

    /** Registers the coordinator's metrics and starts listening to it; call before it starts. */
    public static CoordinatorMetrics install(
            Environment env, Coordinator c, CuratorFramework client, DroverPaths paths) {
        PrometheusRegistry registry = ServerMetrics.of(env).registry();
        TaskMetrics tasks = new TaskMetrics(registry);
        Counter terms =
                Counter.builder()
                        .name("drover_coordinator_leadership_acquired_total")
                        .help("Times this coordinator became the leader (a new epoch each time)")
                        .register(registry);
        c.addListener(
                new CoordinatorListener() {
                    @Override
                    public void leadershipStarted(long epoch) {
                        terms.inc();
                    }

                    @Override
                    public void taskEnded(TaskStatus end) {
                        tasks.ended(end);
                    }
                });
        GaugeWithCallback.builder()
                .name("drover_coordinator_leader")
                .help("1 while this coordinator leads and is ready")
                .callback(cb -> cb.call(c.isLeaderReady() ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder()
                .name("drover_coordinator_epoch")
                .help("The epoch of this coordinator's term while it leads, else 0")
                .callback(cb -> cb.call(c.leaderEpoch().orElse(0)))
                .register(registry);
        registry.register(new LeaderGauges(c));
        ZnodeCounts znodes = new ZnodeCounts(client, paths);
        GaugeWithCallback.builder()
                .name("drover_zookeeper_znodes")
                .help(
                        "Znodes in each of the cluster's folders (tasks, status, pending, done,"
                                + " assignments, ...), from child counts; leader only, at most"
                                + " 10 s old")
                .labelNames("folder")
                .callback(
                        cb -> {
                            if (c.isLeaderReady()) {
                                znodes.counts().forEach((folder, n) -> cb.call(n, folder));
                            }
                        })
                .register(registry);
        CorruptNodeMetrics.register(registry, c.corruptNodes());
        return new CoordinatorMetrics(new ApiMetrics(registry));
    }

    /** What the API counts. */
    public ApiMetrics api() {
        return api;
    }
}
