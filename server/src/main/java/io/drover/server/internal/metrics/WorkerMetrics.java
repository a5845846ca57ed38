package io.drover.server.internal.metrics;

import io.dropwizard.core.setup.Environment;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.WorkerState;
import io.drover.worker.TaskEvent;
import io.drover.worker.Worker;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Locale;

/**
 * A worker server's metrics, all from what its worker already knows: its gauges, and its {@link
 * TaskEvent}s, whose statuses carry the task's times, so that no number costs a ZooKeeper call. The
 * listener runs on the worker's event thread and only counts.
 */
public final class WorkerMetrics {
    private final TaskMetrics tasks;
    private final Counter attempts;
    private final Histogram queueWait;
    private final Histogram claimLatency;

    private WorkerMetrics(PrometheusRegistry registry) {
        this.tasks = new TaskMetrics(registry);
        this.attempts =
                Counter.builder()
                        .name("drover_worker_attempts_total")
                        .help(
                                "Attempts on this worker by type and event: started; how they"
                                        + " ended: succeeded, failed (for good), retried,"
                                        + " cancelled, rejected (a stale commit), handed_back,"
                                        + " abandoned")
                        .labelNames("type", "event")
                        .register(registry);
        this.queueWait =
                Histogram.builder()
                        .name("drover_task_queue_wait_seconds")
                        .help(
                                "From a task's submission (or its delayed start, if later) to the"
                                        + " start of its first attempt, by type")
                        .unit(Unit.SECONDS)
                        .labelNames("type")
                        .classicOnly()
                        .classicUpperBounds(ServerMetrics.TASK_SECONDS)
                        .register(registry);
        this.claimLatency =
                Histogram.builder()
                        .name("drover_task_claim_latency_seconds")
                        .help(
                                "From the leader's assignment to the worker's accepted claim, per"
                                        + " attempt, by type")
                        .unit(Unit.SECONDS)
                        .labelNames("type")
                        .classicOnly()
                        .classicUpperBounds(ServerMetrics.TASK_SECONDS)
                        .register(registry);
    }

    /** Registers the worker's metrics and starts listening to it; call before it starts. */
    public static void install(Environment env, Worker w) {
        PrometheusRegistry registry = ServerMetrics.of(env).registry();
        WorkerMetrics m = new WorkerMetrics(registry);
        GaugeWithCallback.builder()
                .name("drover_worker_running_tasks")
                .help("Attempts this worker holds: claimed and not yet committed or handed back")
                .callback(cb -> cb.call(w.runningCount()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("drover_worker_draining")
                .help("1 once this worker drains")
                .callback(cb -> cb.call(w.state() == WorkerState.DRAINING ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder()
                .name("drover_worker_items_served")
                .help("Load/drop items this worker has loaded and announced")
                .callback(cb -> cb.call(w.servedItems().size()))
                .register(registry);
        CorruptNodeMetrics.register(registry, w.corruptNodes());
        w.addListener(m::onEvent);
    }

    private void onEvent(TaskEvent e) {
        TaskStatus s = e.status();
        attempts.labelValues(e.type(), event(e)).inc();
        if (e.kind() == TaskEvent.Kind.STARTED) {
            claimLatency
                    .labelValues(e.type())
                    .observe(TaskMetrics.seconds(s.startedAtMs() - s.assignedAtMs()));
            if (e.attempt() == 1) {
                long ready = Math.max(s.submittedAtMs(), e.notBeforeMs());
                queueWait
                        .labelValues(e.type())
                        .observe(TaskMetrics.seconds(s.startedAtMs() - ready));
            }
        } else if (e.kind() == TaskEvent.Kind.COMMITTED && s.state().isTerminal()) {
            tasks.ended(s);
        }
    }

    /** A committed retry leaves the task PENDING for its next attempt: that is "retried". */
    private static String event(TaskEvent e) {
        String name =
                e.kind() != TaskEvent.Kind.COMMITTED
                        ? e.kind().name()
                        : e.state() == TaskState.PENDING ? "retried" : e.state().name();
        return name.toLowerCase(Locale.ROOT);
    }
}
