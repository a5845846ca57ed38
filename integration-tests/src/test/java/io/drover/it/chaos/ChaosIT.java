package io.drover.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.failover.ProcessCluster;
import io.drover.client.DroverClient;
import io.drover.model.DroverPaths;
import io.drover.model.RetryPolicy;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.store.StoreOptions;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.Test;

/**
 * Jepsen-style: a 3-node ZooKeeper ensemble, 2 coordinators and 4 workers as separate processes;
 * thousands of tasks of mixed durations; faults at random (seeded, the seed printed) of every
 * kind: kill -9, SIGTERM and SIGSTOP longer than the session of workers and coordinators, and
 * kill -9 of ZooKeeper servers, the leader among them. Then {@link HistoryChecker} reads what every
 * worker recorded and the final statuses, and must find nothing lost, nothing committed twice.
 *
 * <p>The short run is part of {@code mvn verify}. The long one: {@code -Ddrover.chaos.long=true};
 * repeat a run with {@code -Ddrover.chaos.seed=N}. Logs and histories stay in {@code target/chaos-it}.
 */
class ChaosIT {
    private static final boolean LONG = Boolean.getBoolean("drover.chaos.long");
    private static final int TASKS = LONG ? 10_000 : 1_200;
    private static final Duration FAULTS_FOR = LONG ? Duration.ofMinutes(10) : Duration.ofSeconds(60);
    private static final Duration SESSION = Duration.ofSeconds(4);
    private static final List<String> COORDINATORS = List.of("coordinator-1", "coordinator-2");
    private static final List<String> WORKERS = List.of("worker-1", "worker-2", "worker-3", "worker-4");

    private final Path dir = Path.of("target", "chaos-it").toAbsolutePath();

    @Test
    void randomFaults_ofEveryKind_loseNothing_commitNothingTwice() throws Exception {
        long seed = Long.getLong("drover.chaos.seed", System.nanoTime());
        System.out.printf("ChaosIT: seed %d (-Ddrover.chaos.seed=%d repeats it), %d tasks, faults for %d s%n", seed, seed, TASKS,
                FAULTS_FOR.toSeconds());
        Random random = new Random(seed);
        deleteRecursively(dir);
        Map<String, File> histories = new LinkedHashMap<>();
        try (ProcessCluster cluster = new ProcessCluster(dir.toFile(), 3, SESSION)) {
            cluster.startEnsemble(Duration.ofMinutes(2));
            for (String c : COORDINATORS) {
                cluster.startCoordinator(c);
            }
            for (String w : WORKERS) {
                histories.put(w, dir.resolve("history/" + w + ".jsonl").toFile());
                cluster.startWorker(w, 4, histories.get(w));
            }
            try (CuratorFramework zk = CuratorFrameworkFactory.newClient(cluster.connectString(), 60_000, 15_000,
                    new ExponentialBackoffRetry(100, 20, 2_000))) {
                zk.start();
                DroverClient client = DroverClient.using(zk, "default", StoreOptions.defaults());
                Faults faults = new Faults(cluster, zk, new DroverPaths("default"), random);
                faults.awaitSteady();

                List<TaskSpec> specs = specs(random);
                submitAll(client, specs);
                faults.injectFor(FAULTS_FOR);
                faults.healAll();

                List<String> ids = specs.stream().map(TaskSpec::id).toList();
                try {
                    client.awaitAll(ids, LONG ? Duration.ofMinutes(30) : Duration.ofMinutes(6));
                } catch (TimeoutException e) {
                    System.out.println("ChaosIT: not every task ended in time; the checker says which");
                }
                Map<String, TaskStatus> finals = finals(client, ids);
                client.close();
                cluster.close(); // SIGTERM all: the workers flush their histories

                HistoryChecker.Report report = HistoryChecker.check(ids, finals, HistoryChecker.read(histories.values().stream()
                        .map(File::toPath).toList()));
                System.out.printf("ChaosIT: seed %d, %s; faults: %s%n", seed, report, faults.injected());
                assertThat(report.clean()).as("seed " + seed + ": " + report).isTrue();
                assertThat(report.executions()).as("every task ran").isGreaterThanOrEqualTo(TASKS);
            }
        }
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        if (java.nio.file.Files.exists(root)) {
            try (var paths = java.nio.file.Files.walk(root)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }

    /** Mixed durations, and a tenth that fail their first attempt, so retries happen alongside the faults. */
    private static List<TaskSpec> specs(Random random) {
        RetryPolicy quick = new RetryPolicy(100, 1_000, 2.0, true);
        List<TaskSpec> specs = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            TaskSpec.Builder b = i % 10 == 0
                    ? TaskSpec.builder("fail").payloadJson("{\"times\":1}")
                    : TaskSpec.builder("sleep").payloadJson("{\"ms\":" + (50 + random.nextInt(i % 7 == 0 ? 3_000 : 600)) + "}");
            specs.add(b.id("chaos-" + i).maxAttempts(30).retry(quick).build());
        }
        return specs;
    }

    /** Submits everything; what a fault interrupted is submitted again under the same id (idempotent). */
    private static void submitAll(DroverClient client, List<TaskSpec> specs) {
        List<TaskSpec> left = specs;
        for (int round = 0; !left.isEmpty() && round < 50; round++) {
            List<CompletableFuture<io.drover.store.SubmitResult>> results = client.submitAll(left);
            List<TaskSpec> again = new ArrayList<>();
            for (int i = 0; i < left.size(); i++) {
                try {
                    results.get(i).get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    again.add(left.get(i));
                }
            }
            left = again;
        }
        assertThat(left).as("every task accepted").isEmpty();
    }

    private static Map<String, TaskStatus> finals(DroverClient client, List<String> ids) throws Exception {
        Map<String, TaskStatus> out = new HashMap<>();
        List<CompletableFuture<java.util.Optional<io.drover.model.Versioned<TaskStatus>>>> reads = new ArrayList<>();
        ids.forEach(id -> reads.add(client.store().status(id)));
        for (int i = 0; i < ids.size(); i++) {
            reads.get(i).get(60, TimeUnit.SECONDS).ifPresent(v -> out.put(v.value().taskId(), v.value()));
        }
        return out;
    }

    /** Injects faults at random and undoes them, keeping a quorum, a coordinator and two workers up. */
    private static final class Faults {
        private final ProcessCluster cluster;
        private final CuratorFramework zk;
        private final DroverPaths paths;
        private final Random random;
        private final List<String> log = new ArrayList<>();
        /** process -> when to bring it back (ms); paused ones resume, dead ones restart. */
        private final Map<String, Long> down = new LinkedHashMap<>();
        private final Map<String, Boolean> paused = new HashMap<>();
        private final long startMs = System.currentTimeMillis();

        Faults(ProcessCluster cluster, CuratorFramework zk, DroverPaths paths, Random random) {
            this.cluster = cluster;
            this.zk = zk;
            this.paths = paths;
            this.random = random;
        }

        List<String> injected() {
            return log;
        }

        void injectFor(Duration duration) throws Exception {
            long end = System.currentTimeMillis() + duration.toMillis();
            while (System.currentTimeMillis() < end) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1_000 + random.nextInt(3_000))); // pacing, not waiting for a condition
                bringBack(false);
                inject();
            }
        }

        private void inject() throws Exception {
            int kind = random.nextInt(8);
            if (kind < 4) { // workers take most of the faults: they hold the tasks
                String w = pick(WORKERS);
                if (w == null || upCount(WORKERS) <= 2) {
                    return;
                }
                fault(w, kind);
            } else if (kind < 6) {
                String c = pick(COORDINATORS);
                if (c == null || upCount(COORDINATORS) <= 1) {
                    return;
                }
                fault(c, kind - 4 + random.nextInt(2) * 2);
            } else {
                if (down.keySet().stream().anyMatch(n -> n.startsWith("zk"))) {
                    return; // one ZooKeeper server down at a time: the ensemble keeps its quorum
                }
                int leader = cluster.zkLeader();
                int victim = random.nextBoolean() && leader >= 0 ? leader : random.nextInt(cluster.zkNodes());
                String name = ProcessCluster.zkName(victim);
                cluster.kill(name);
                note("kill -9 " + name + (victim == leader ? " (ZooKeeper leader)" : ""));
                down.put(name, System.currentTimeMillis() + 2_000 + random.nextInt(4_000));
            }
        }

        /** 0 kill -9, 1 SIGTERM, 2 and 3 SIGSTOP past the session timeout. */
        private void fault(String name, int kind) throws Exception {
            long back = System.currentTimeMillis() + SESSION.toMillis() + 1_000 + random.nextInt(3_000);
            switch (kind) {
                case 0 -> {
                    cluster.kill(name);
                    note("kill -9 " + name);
                }
                case 1 -> {
                    cluster.stop(name);
                    note("SIGTERM " + name);
                    back = System.currentTimeMillis() + 500;
                }
                default -> {
                    cluster.pause(name);
                    paused.put(name, true);
                    note("SIGSTOP " + name + " for " + (back - System.currentTimeMillis()) + " ms");
                }
            }
            down.put(name, back);
        }

        /** Resumes the paused and restarts the dead whose time has come (all of them with {@code all}). */
        private void bringBack(boolean all) throws Exception {
            long now = System.currentTimeMillis();
            for (var it = down.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                String name = e.getKey();
                if (!all && e.getValue() > now) {
                    continue;
                }
                if (paused.remove(name) != null) {
                    cluster.resume(name);
                    note("SIGCONT " + name);
                } else if (!name.startsWith("zk") && stillAnnounced(name)) {
                    continue; // a dead process's session has not expired yet: the same id cannot start again until it has
                } else {
                    cluster.start(name);
                    note("restart " + name);
                }
                it.remove();
            }
        }

        void healAll() throws Exception {
            ProcessCluster.await("every process back", Duration.ofMinutes(3), () -> {
                try {
                    bringBack(true);
                    return down.isEmpty();
                } catch (Exception e) {
                    return false;
                }
            });
            cluster.awaitEnsemble(Duration.ofMinutes(2));
            awaitSteady();
        }

        void awaitSteady() {
            ProcessCluster.await("all coordinators and workers announced", Duration.ofMinutes(3), () -> {
                try {
                    return zk.getChildren().forPath(paths.coordinators()).size() == COORDINATORS.size()
                            && zk.getChildren().forPath(paths.workers()).size() == WORKERS.size();
                } catch (Exception e) {
                    return false;
                }
            });
        }

        private boolean stillAnnounced(String name) {
            try {
                String path = name.startsWith("worker") ? paths.worker(name) : paths.coordinator(name);
                return zk.checkExists().forPath(path) != null;
            } catch (Exception e) {
                return true;
            }
        }

        private String pick(List<String> names) {
            List<String> up = names.stream().filter(n -> !down.containsKey(n)).toList();
            return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
        }

        private int upCount(List<String> names) {
            return (int) names.stream().filter(n -> !down.containsKey(n)).count();
        }

        private void note(String what) {
            String line = String.format("%5.1fs %s", (System.currentTimeMillis() - startMs) / 1000.0, what);
            log.add(line);
            System.out.println("ChaosIT: " + line);
        }
    }
}
