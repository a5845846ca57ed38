package io.drover.cli.failover;

import io.drover.worker.Worker;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Workers the failover bench runs in its own process, each on a ZooKeeper session of its own, to
 * replace leaders among a thousand workers without a thousand processes. They take {@code noop}
 * tasks (the leader scenarios' probe task) and nothing the worker scenarios kill. Blocking.
 */
final class ExtraWorkers implements AutoCloseable {
    static final int MAX = 2_000;

    private final List<Worker> workers = new ArrayList<>();

    /** Starts {@code count} workers {@code extra-1}, … with 4 slots each. */
    ExtraWorkers(String connectString, String cluster, int count, PrintWriter progress) {
        try {
            for (int i = 1; i <= count; i++) {
                Worker w =
                        Worker.builder()
                                .connectString(connectString)
                                .cluster(cluster)
                                .id("extra-" + i)
                                .capacity(4)
                                .handler("noop", ctx -> null)
                                .shutdownTimeout(Duration.ofSeconds(5))
                                .build();
                w.start();
                workers.add(w);
                if (i % 250 == 0 || i == count) {
                    progress.printf("  %d of %d workers in this process started%n", i, count);
                    progress.flush();
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    int size() {
        return workers.size();
    }

    @Override
    public void close() {
        workers.forEach(Worker::close);
        workers.clear();
    }
}
