package io.drover.cli;

import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.store.SubmitResult;
import io.drover.worker.TaskEvent;
import io.drover.worker.WorkerListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One burst of the bench: {@code n} no-op tasks submitted at once, timed until every one is
 * committed. Besides the whole burst it reports the steady state, the commit rate between the 10th
 * and the 90th percentile of commits, which leaves out the pipeline filling and draining.
 */
record ThroughputRun(
        int tasks,
        double seconds,
        double submitSeconds,
        double steadyTasksPerSecond,
        Percentiles start,
        Percentiles done) {

    double tasksPerSecond() {
        return tasks / seconds;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", Spread.round(seconds));
        m.put("submitSeconds", Spread.round(submitSeconds));
        m.put("tasksPerSecond", Spread.round(tasksPerSecond()));
        m.put("steadyTasksPerSecond", Spread.round(steadyTasksPerSecond));
        m.put("startLatencyMs", start.toMap());
        m.put("doneLatencyMs", done.toMap());
        return m;
    }

    /**
     * Runs one burst of {@code n} tasks whose ids start with {@code prefix}, and {@code atEnd} once
     * the last one is committed, before the bench reads their statuses. Blocking.
     */
    static ThroughputRun run(LocalCluster lc, int n, String prefix, Callable<?> atEnd)
            throws Exception {
        CountDownLatch committed = new CountDownLatch(n);
        long[] commitNanos = new long[n];
        AtomicInteger commits = new AtomicInteger();
        String idPrefix = prefix + System.nanoTime() + "-";
        WorkerListener listener =
                e -> {
                    if (e.kind() == TaskEvent.Kind.COMMITTED && e.taskId().startsWith(idPrefix)) {
                        int i = commits.getAndIncrement();
                        if (i < n) {
                            commitNanos[i] = System.nanoTime();
                        }
                        committed.countDown();
                    }
                };
        lc.workers().forEach(w -> w.addListener(listener));
        try {
            List<TaskSpec> specs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                specs.add(TaskSpec.builder("noop").id(idPrefix + i).build());
            }
            long start = System.nanoTime();
            List<CompletableFuture<SubmitResult>> submitted = new ArrayList<>(n);
            for (TaskSpec s : specs) {
                submitted.add(lc.client().submit(s.withSubmittedAtMs(System.currentTimeMillis())));
            }
            CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new))
                    .get(10, TimeUnit.MINUTES);
            double submitSeconds = (System.nanoTime() - start) / 1e9;
            if (!committed.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(
                        "only "
                                + (n - committed.getCount())
                                + " of "
                                + n
                                + " tasks finished within 10 minutes");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            atEnd.call();
            // the latch counted down after the array write, so every slot is visible here
            int lo = n / 10;
            int hi = Math.max(lo + 1, n - 1 - n / 10);
            double steady =
                    hi < n && commitNanos[hi] > commitNanos[lo]
                            ? (hi - lo) / ((commitNanos[hi] - commitNanos[lo]) / 1e9)
                            : n / seconds;
            Percentiles[] latencies = latencies(lc, specs);
            return new ThroughputRun(n, seconds, submitSeconds, steady, latencies[0], latencies[1]);
        } finally {
            lc.workers().forEach(w -> w.removeListener(listener));
        }
    }

    /**
     * Submit-to-start and submit-to-done of each task, from the statuses it left: of the retained
     * ones only, when retention already deleted some ({@code bench --retain}).
     */
    private static Percentiles[] latencies(LocalCluster lc, List<TaskSpec> specs) throws Exception {
        int n = specs.size();
        long[] startLat = new long[n];
        long[] doneLat = new long[n];
        List<CompletableFuture<Optional<Versioned<TaskStatus>>>> reads = new ArrayList<>(n);
        for (TaskSpec s : specs) {
            reads.add(lc.client().store().status(s.id()));
        }
        int kept = 0;
        for (int i = 0; i < n; i++) {
            Optional<Versioned<TaskStatus>> read = reads.get(i).get(1, TimeUnit.MINUTES);
            if (read.isPresent()) {
                TaskStatus st = read.get().value();
                startLat[kept] = st.startedAtMs() - st.submittedAtMs();
                doneLat[kept++] = st.finishedAtMs() - st.submittedAtMs();
            }
        }
        return new Percentiles[] {
            Percentiles.of(Arrays.copyOf(startLat, kept)),
            Percentiles.of(Arrays.copyOf(doneLat, kept))
        };
    }

    /** Submit-to-done of {@code count} tasks submitted one at a time. Blocking. */
    static Percentiles light(LocalCluster lc, int count) throws Exception {
        long[] done = new long[count];
        for (int i = 0; i < count; i++) {
            String id = "light-" + System.nanoTime();
            lc.client().submit(TaskSpec.builder("noop").id(id).build()).get(1, TimeUnit.MINUTES);
            TaskStatus st = lc.client().await(id, Duration.ofMinutes(1));
            done[i] = st.finishedAtMs() - st.submittedAtMs();
        }
        return Percentiles.of(done);
    }
}
