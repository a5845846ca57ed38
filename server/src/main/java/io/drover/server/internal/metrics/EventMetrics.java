package io.drover.server.internal.metrics;

import io.drover.server.internal.events.EventStreams;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;

/**
 * The event stream's gauges: its subscribers, the events it keeps, the slowest one's lag; and the
 * requests waiting for their tasks, which the stream's feed ends.
 */
public final class EventMetrics {
    private EventMetrics() {}

    public static void install(PrometheusRegistry registry, Supplier<EventStreams> streams) {
        GaugeWithCallback.builder()
                .name("drover_events_subscribers")
                .help("Clients streaming GET /v1/events from this coordinator")
                .callback(cb -> cb.call(streams.get() == null ? 0 : streams.get().subscribers()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("drover_events_buffered")
                .help("Events this coordinator keeps for clients that resume (Last-Event-ID)")
                .callback(cb -> cb.call(streams.get() == null ? 0 : streams.get().buffered()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("drover_events_max_lag")
                .help(
                        "Events the slowest subscriber is behind the newest (cut off past events.maxLagEvents)")
                .callback(
                        cb ->
                                cb.call(
                                        streams.get() == null
                                                ? 0
                                                : streams.get().lags().stream()
                                                        .mapToLong(Long::longValue)
                                                        .max()
                                                        .orElse(0)))
                .register(registry);
    }

    /** Requests waiting for their tasks to end ({@code ?wait=}), fed by the same event feed. */
    public static void installWaits(
            PrometheusRegistry registry, java.util.function.IntSupplier waiting) {
        GaugeWithCallback.builder()
                .name("drover_api_task_waits")
                .help("Requests waiting for their tasks to end (?wait=) on this coordinator")
                .callback(cb -> cb.call(waiting.getAsInt()))
                .register(registry);
    }
}
