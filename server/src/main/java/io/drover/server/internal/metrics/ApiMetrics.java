package io.drover.server.internal.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** What a coordinator's API takes in. Thread-safe. */
public final class ApiMetrics {
    private final Counter submitted;

    ApiMetrics(PrometheusRegistry registry) {
        this.submitted =
                Counter.builder()
                        .name("drover_api_tasks_submitted_total")
                        .help(
                                "New tasks created through this server's API, by type (a"
                                        + " resubmission of an existing id is not counted)")
                        .labelNames("type")
                        .register(registry);
    }

    /** A new task of this type was created. */
    public void created(String type) {
        submitted.labelValues(type).inc();
    }
}
