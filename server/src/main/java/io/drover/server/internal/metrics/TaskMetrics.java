package io.drover.server.internal.metrics;

import io.drover.model.TaskStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Locale;

/**
 * How tasks end, counted by the process that wrote the end: a worker server for what its worker
 * committed, the leading coordinator for what it ended itself (cancelled while pending, failed
 * after a lost worker). Each end is written once, so the sum over all servers counts every end
 * once. Thread-safe.
 */
final class TaskMetrics {
    private final Counter finished;
    private final Histogram turnaround;

    TaskMetrics(PrometheusRegistry registry) {
        this.finished =
                Counter.builder()
                        .name("drover_tasks_finished_total")
                        .help(
                                "Tasks that ended, by type and outcome (succeeded, failed,"
                                        + " cancelled), counted by the server that wrote the end")
                        .labelNames("type", "outcome")
                        .register(registry);
        this.turnaround =
                Histogram.builder()
                        .name("drover_task_turnaround_seconds")
                        .help(
                                "From a task's submission to its end (submitter's clock to the"
                                        + " ending server's), by type and outcome")
                        .unit(Unit.SECONDS)
                        .labelNames("type", "outcome")
                        .classicOnly()
                        .classicUpperBounds(ServerMetrics.TASK_SECONDS)
                        .register(registry);
    }

    /** A terminal status this server wrote. */
    void ended(TaskStatus end) {
        String outcome = end.state().name().toLowerCase(Locale.ROOT);
        finished.labelValues(end.type(), outcome).inc();
        turnaround
                .labelValues(end.type(), outcome)
                .observe(seconds(end.finishedAtMs() - end.submittedAtMs()));
    }

    /** Clocks of different hosts may disagree a little: never a negative time. */
    static double seconds(long ms) {
        return Math.max(0, ms) / 1000.0;
    }
}
