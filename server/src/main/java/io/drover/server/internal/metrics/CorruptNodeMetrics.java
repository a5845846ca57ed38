package io.drover.server.internal.metrics;

import io.drover.protocol.CorruptNodes;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The corrupt znodes a coordinator or worker found and skipped ({@link CorruptNodes}): how many
 * node versions since start, by kind, and how many are still corrupt now.
 */
final class CorruptNodeMetrics {
    private CorruptNodeMetrics() {}

    static void register(PrometheusRegistry registry, CorruptNodes corrupt) {
        CounterWithCallback.builder()
                .name("drover_corrupt_znodes_skipped_total")
                .help(
                        "Corrupt znode versions this server found and skipped since it started, by"
                                + " kind (see docs/validation.md)")
                .labelNames("kind")
                .callback(
                        cb -> corrupt.counts().forEach((kind, n) -> cb.call(n, kind.metricName())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("drover_corrupt_znodes")
                .help("Znodes still corrupt now, as far as this server saw: worth a drover fsck")
                .callback(cb -> cb.call(corrupt.current().size()))
                .register(registry);
    }
}
