package io.drover.cli.failover;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.client.DroverClient;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;

/**
 * Measures failover on a {@link ProcessCluster}: how long from a fault to the cluster doing the
 * affected work again, for each kind of fault. Observations are ZooKeeper reads every 10 ms, so a
 * figure is accurate to about that.
 */
final class FailoverBench {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final io.drover.model.RetryPolicy NO_BACKOFF =
            new io.drover.model.RetryPolicy(0, 0, 1.0, false);

    /** A kind of fault and what "recovered" means for it. */
    enum Scenario {
        WORKER_KILL("worker kill -9 -> its task running elsewhere"),
        WORKER_STOP("worker SIGTERM -> its task running elsewhere"),
        LEADER_KILL("leader kill -9 -> new leader assigning"),
        LEADER_STOP("leader SIGTERM -> new leader assigning"),
        ZK_LEADER_KILL("ZooKeeper leader kill -9 -> assigning again");

        final String description;

        Scenario(String description) {
            this.description = description;
        }
    }

    record Result(Scenario scenario, List<Long> samplesMs) {
        long medianMs() {
            List<Long> sorted = samplesMs.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        long maxMs() {
            return samplesMs.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    private final ProcessCluster cluster;
    private final DroverClient client;
    private final CuratorFramework zk;
    private final DroverPaths paths;
    private final List<String> coordinators;
    private final int workers;
    private final PrintWriter progress;

    FailoverBench(
            ProcessCluster cluster,
            DroverClient client,
            CuratorFramework zk,
            List<String> coordinators,
            int workers,
            PrintWriter progress) {
        this.cluster = cluster;
        this.client = client;
        this.zk = zk;
        this.paths = client.store().paths();
        this.coordinators = coordinators;
        this.workers = workers;
        this.progress = progress;
    }

    Result run(Scenario scenario, int reps) throws Exception {
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            awaitSteady();
            long ms =
                    switch (scenario) {
                        case WORKER_KILL -> workerFailover(true);
                        case WORKER_STOP -> workerFailover(false);
                        case LEADER_KILL -> leaderFailover(true);
                        case LEADER_STOP -> leaderFailover(false);
                        case ZK_LEADER_KILL -> zkLeaderFailover();
                    };
            progress.printf("  %-48s run %d: %d ms%n", scenario.description, i + 1, ms);
            progress.flush();
            samples.add(ms);
        }
        return new Result(scenario, samples);
    }

    /** Every process up, announced, and a leader that leads: the start line of every repetition. */
    private void awaitSteady() {
        ProcessCluster.await(
                "a steady cluster",
                WAIT,
                () -> {
                    try {
                        Stat epoch = zk.checkExists().forPath(paths.leaderEpoch());
                        return cluster.zkLeader() >= 0
                                && zk.getChildren().forPath(paths.coordinators()).size()
                                        == coordinators.size()
                                && zk.getChildren().forPath(paths.workers()).size() == workers
                                && epoch != null
                                && leader().map(l -> exists(paths.coordinator(l))).orElse(false);
                    } catch (Exception e) {
                        return false;
                    }
                });
    }

    private long workerFailover(boolean kill) throws Exception {
        String id = "failover-" + UUID.randomUUID();
        // No retry backoff: a crashed attempt is retried after the task's backoff, which would add
        // to
        // (and blur) the failover itself. Users' tasks add their own backoff on top of these
        // figures.
        client.submit(
                        TaskSpec.builder("sleep")
                                .id(id)
                                .maxAttempts(20)
                                .retry(NO_BACKOFF)
                                .payloadJson("{\"ms\":3600000}")
                                .build())
                .get(30, TimeUnit.SECONDS);
        TaskStatus running = awaitStatus(id, s -> s.state() == TaskState.RUNNING);
        String victim = running.workerId();
        long t0 = System.nanoTime();
        if (kill) {
            cluster.kill(victim);
        } else {
            // observed while the process shuts down: the hand-off, not the JVM's exit, is measured
            cluster.terminate(victim);
        }
        awaitStatus(id, s -> s.state() == TaskState.RUNNING && !victim.equals(s.workerId()));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        cluster.awaitExit(victim);
        client.cancel(id).get(30, TimeUnit.SECONDS);
        awaitStatus(id, s -> s.state().isTerminal());
        if (kill) {
            // The dead session may still hold workers/<victim> until it expires; start again after
            // that.
            ProcessCluster.await(
                    "the killed worker's session to end",
                    WAIT,
                    () -> !exists(paths.worker(victim)));
        }
        cluster.start(victim);
        return ms;
    }

    private long leaderFailover(boolean kill) throws Exception {
        String leader = leader().orElseThrow();
        long t0 = System.nanoTime();
        if (kill) {
            cluster.kill(leader);
        } else {
            cluster.terminate(leader);
        }
        String id = "failover-" + UUID.randomUUID();
        client.submit(TaskSpec.builder("noop").id(id).build())
                .get(30, TimeUnit.SECONDS); // accepted with no leader
        awaitStatus(id, s -> s.state() != TaskState.PENDING);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        cluster.awaitExit(leader);
        ProcessCluster.await(
                "the old leader's session to end", WAIT, () -> !exists(paths.coordinator(leader)));
        cluster.start(leader);
        return ms;
    }

    private long zkLeaderFailover() throws Exception {
        int victim = cluster.zkLeader();
        if (victim < 0) {
            throw new IllegalStateException("the ZooKeeper ensemble has no leader");
        }
        long t0 = System.nanoTime();
        cluster.kill(ProcessCluster.zkName(victim));
        String id = "failover-" + UUID.randomUUID();
        ProcessCluster.await(
                "a submission while ZooKeeper elects a leader",
                WAIT,
                () -> {
                    try {
                        client.submit(TaskSpec.builder("noop").id(id).build())
                                .get(5, TimeUnit.SECONDS);
                        return true;
                    } catch (Exception retryable) {
                        // connection loss during the election: the same id makes the retry
                        // idempotent
                        return false;
                    }
                });
        awaitStatus(id, s -> s.state() != TaskState.PENDING);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        cluster.start(ProcessCluster.zkName(victim));
        cluster.awaitEnsemble(WAIT);
        return ms;
    }

    private Optional<String> leader() {
        try {
            JsonNode node = DroverJson.mapper().readTree(zk.getData().forPath(paths.leaderEpoch()));
            return Optional.ofNullable(node.path("leader").asText(null));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private boolean exists(String path) {
        try {
            return zk.checkExists().forPath(path) != null;
        } catch (Exception e) {
            return true; // cannot tell now: keep waiting
        }
    }

    private TaskStatus awaitStatus(String id, Predicate<TaskStatus> condition) {
        TaskStatus[] seen = new TaskStatus[1];
        ProcessCluster.await(
                "task " + id + " to move on",
                WAIT,
                () -> {
                    try {
                        seen[0] = client.status(id).get(5, TimeUnit.SECONDS);
                        return condition.test(seen[0]);
                    } catch (Exception e) {
                        return false; // ZooKeeper is failing over too: read again
                    }
                });
        return seen[0];
    }
}
