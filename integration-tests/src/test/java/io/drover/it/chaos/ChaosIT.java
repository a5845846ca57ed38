package io.drover.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.failover.ProcessCluster;
import io.drover.client.DroverClient;
import io.drover.it.SecureIdentities;
import io.drover.model.DroverPaths;
import io.drover.model.RetryPolicy;
import io.drover.model.TaskSpec;
import io.drover.model.TaskSpecBuilder;
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
import org.junit.jupiter.api.Test;

/**
 * Jepsen-style: a 3-node ZooKeeper ensemble, 2 coordinators and 4 workers as separate processes;
 * thousands of tasks of mixed durations; faults at random (seeded, the seed printed) of every kind:
 * kill -9, SIGTERM and SIGSTOP longer than the session of workers and coordinators, and kill -9 of
 * ZooKeeper servers, the leader among them. Then {@link HistoryChecker} reads what every worker
 * recorded and the final statuses, and must find nothing lost, nothing committed twice.
 *
 * <p>The short run is part of {@code mvn verify}. The long one: {@code -Ddrover.chaos.long=true};
 * repeat a run with {@code -Ddrover.chaos.seed=N}. Logs and histories stay in {@code
 * target/chaos-it}.
 */
class ChaosIT {
    private static final boolean LONG = Boolean.getBoolean("drover.chaos.long");
    private static final int TASKS = LONG ? 10_000 : 1_200;
    private static final Duration FAULTS_FOR =
            LONG ? Duration.ofMinutes(10) : Duration.ofSeconds(60);
    private static final Duration SESSION = Duration.ofSeconds(4);
    private static final List<String> COORDINATORS = List.of("coordinator-1", "coordinator-2");
    private static final List<String> WORKERS =
            List.of("worker-1", "worker-2", "worker-3", "worker-4");

    private final Path dir = Path.of("target", "chaos-it").toAbsolutePath();

    // the cluster is stopped before the checker reads the histories; closing again is harmless
    @Test
    @SuppressWarnings("try")
    void randomFaults_ofEveryKind_loseNothing_commitNothingTwice() throws Exception {
        long seed = Long.getLong("drover.chaos.seed", System.nanoTime());
        System.out.printf(
                "ChaosIT: seed %d (-Ddrover.chaos.seed=%d repeats it), %d tasks, faults for %d s%n",
                seed, seed, TASKS, FAULTS_FOR.toSeconds());
        Random random = new Random(seed);
        deleteRecursively(dir);
        Map<String, File> histories = new LinkedHashMap<>();
        try (ProcessCluster cluster = new ProcessCluster(dir.toFile(), 3, SESSION)) {
            cluster.startEnsemble(Duration.ofMinutes(2));
            // Security on: every process holds its role's ZooKeeper identity (a worker also its
            // own) and every node has the ACL of the role table.
            SecureIdentities identities =
                    new SecureIdentities(cluster.connectString(), dir.resolve("secrets"), WORKERS);
            identities.apply("default");
            for (String c : COORDINATORS) {
                cluster.zooKeeperCredentials(c, List.of(identities.file("coordinator")));
                cluster.startCoordinator(c);
            }
            for (String w : WORKERS) {
                histories.put(w, dir.resolve("history/" + w + ".jsonl").toFile());
                cluster.zooKeeperCredentials(
                        w, List.of(identities.file("worker"), identities.file(w)));
                cluster.startWorker(w, 4, histories.get(w));
            }
            try (identities;
                    CuratorFramework zk = identities.session(Duration.ofSeconds(60), "client")) {
                DroverClient client = DroverClient.using(zk, "default", StoreOptions.defaults());
                Faults faults = new Faults(cluster, zk, new DroverPaths("default"), random);
                faults.awaitSteady();

                List<TaskSpec> specs = specs(random);
                int upFront = specs.size() * 2 / 3;
                submitAll(client, specs.subList(0, upFront));
                // The last third is submitted while the faults go on, a chunk per fault, and a few
                // tasks are cancelled.
                List<TaskSpec> later = specs.subList(upFront, specs.size());
                faults.injectFor(
                        FAULTS_FOR,
                        round -> {
                            int chunk = Math.max(1, later.size() / 20);
                            int from = Math.min(later.size(), round * chunk);
                            submitAll(
                                    client,
                                    later.subList(from, Math.min(later.size(), from + chunk)));
                            client.cancel(
                                    specs.get(random.nextInt(specs.size()))
                                            .id()); // best effort: may hit an ended task
                        });
                // whatever the fault rounds did not reach (a resubmission is a no-op)
                submitAll(client, later);
                faults.healAll();

                List<String> ids = specs.stream().map(TaskSpec::id).toList();
                try {
                    client.awaitAll(ids, LONG ? Duration.ofMinutes(30) : Duration.ofMinutes(6));
                } catch (TimeoutException e) {
                    System.out.println(
                            "ChaosIT: not every task ended in time; the checker says which");
                }
                Map<String, TaskStatus> finals = finals(client, ids);
                Map<String, Integer> terminalWrites =
                        terminalWrites(zk, new DroverPaths("default"));
                Map<String, Long> endZxids = endZxids(zk, new DroverPaths("default"), finals);
                client.close();
                cluster.close(); // SIGTERM all: the workers flush their histories

                int[] unreadable = new int[1];
                List<HistoryChecker.Event> events =
                        HistoryChecker.read(
                                histories.values().stream().map(File::toPath).toList(), unreadable);
                HistoryChecker.Report report =
                        HistoryChecker.check(
                                ids, finals, endZxids, terminalWrites, events, unreadable[0]);
                System.out.printf(
                        "ChaosIT: seed %d, %s; faults: %s%n", seed, report, faults.injected());
                assertThat(report.clean()).as("seed " + seed + ": " + report).isTrue();
                assertThat(report.executions())
                        .as("the tasks ran (a few were cancelled before they could)")
                        .isGreaterThanOrEqualTo(TASKS * 9 / 10);
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

    /**
     * Mixed durations; a tenth fail their first attempt, so retries happen alongside the faults; a
     * twentieth may run only twice, so a crash can use up their attempts and the leader fails them.
     */
    private static List<TaskSpec> specs(Random random) {
        RetryPolicy quick = new RetryPolicy(100, 1_000, 2.0, true);
        List<TaskSpec> specs = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            TaskSpecBuilder b =
                    i % 10 == 0
                            ? TaskSpec.builder("fail").payloadJson("{\"times\":1}")
                            : TaskSpec.builder("sleep")
                                    .payloadJson(
                                            "{\"ms\":"
                                                    + (50
                                                            + random.nextInt(
                                                                    i % 7 == 0 ? 3_000 : 600))
                                                    + "}");
            specs.add(b.id("chaos-" + i).maxAttempts(i % 20 == 1 ? 2 : 30).retry(quick).build());
        }
        return specs;
    }

    /**
     * Per ended task, the zxid of its status znode's last write: the terminal one, since nothing
     * writes after it.
     */
    private static Map<String, Long> endZxids(
            CuratorFramework zk, DroverPaths paths, Map<String, TaskStatus> finals)
            throws Exception {
        Map<String, CompletableFuture<Long>> reads = new HashMap<>();
        for (TaskStatus s : finals.values()) {
            if (s.state().isTerminal()) {
                CompletableFuture<Long> f = new CompletableFuture<>();
                zk.checkExists()
                        .inBackground(
                                (c, e) ->
                                        f.complete(
                                                e.getStat() == null
                                                        ? null
                                                        : e.getStat().getMzxid()))
                        .forPath(paths.status(s.taskId()));
                reads.put(s.taskId(), f);
            }
        }
        Map<String, Long> out = new HashMap<>();
        for (var e : reads.entrySet()) {
            Long zxid = e.getValue().get(60, TimeUnit.SECONDS);
            if (zxid != null) {
                out.put(e.getKey(), zxid);
            }
        }
        return out;
    }

    /** Per task, its entries in the done/ index: one per terminal write, whoever wrote it. */
    private static Map<String, Integer> terminalWrites(CuratorFramework zk, DroverPaths paths)
            throws Exception {
        Map<String, Integer> out = new HashMap<>();
        for (String bucket : paths.buckets(paths.done())) {
            for (String name : zk.getChildren().forPath(bucket)) {
                out.merge(
                        name.substring(name.indexOf('-') + 1),
                        1,
                        Integer::sum); // <finish ms>-<task id>
            }
        }
        return out;
    }

    /**
     * Submits everything; what a fault interrupted is submitted again under the same id
     * (idempotent).
     */
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

    private static Map<String, TaskStatus> finals(DroverClient client, List<String> ids)
            throws Exception {
        Map<String, TaskStatus> out = new HashMap<>();
        List<CompletableFuture<java.util.Optional<io.drover.model.Versioned<TaskStatus>>>> reads =
                new ArrayList<>();
        ids.forEach(id -> reads.add(client.store().status(id)));
        for (int i = 0; i < ids.size(); i++) {
            reads.get(i)
                    .get(60, TimeUnit.SECONDS)
                    .ifPresent(v -> out.put(v.value().taskId(), v.value()));
        }
        return out;
    }

    /**
     * Injects faults at random and undoes them, keeping a quorum, a coordinator and two workers up.
     */
    private static final class Faults {
        private final ProcessCluster cluster;
        private final CuratorFramework zk;
        private final DroverPaths paths;
        private final Random random;
        private final List<String> log = new ArrayList<>();

        /** process -> when to bring it back (ms); paused ones resume, dead ones restart. */
        private final Map<String, Long> down = new LinkedHashMap<>();

        private final Map<String, Boolean> paused = new HashMap<>();

        /** Restarted, not yet back: still counted as down. */
        private final java.util.Set<String> starting = new java.util.LinkedHashSet<>();

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

        /** Something the test does each round, between faults. */
        interface Round {
            void run(int round) throws Exception;
        }

        void injectFor(Duration duration, Round eachRound) throws Exception {
            long end = System.currentTimeMillis() + duration.toMillis();
            for (int round = 0; System.currentTimeMillis() < end; round++) {
                LockSupport.parkNanos(
                        TimeUnit.MILLISECONDS.toNanos(
                                1_000
                                        + random.nextInt(
                                                3_000))); // pacing, not waiting for a condition
                bringBack(false);
                settleStarting();
                inject();
                eachRound.run(round);
            }
        }

        /**
         * A restarted process counts as down until it is back for real: a ZooKeeper server serving
         * as leader or follower, a server announced in ZooKeeper. One that died on its own is
         * started again.
         */
        private void settleStarting() throws Exception {
            for (var it = starting.iterator(); it.hasNext(); ) {
                String name = it.next();
                if (!cluster.isRunning(name)) {
                    note(name + " exited; restarting it");
                    if (name.startsWith("zk") || !stillAnnounced(name)) {
                        cluster.start(name);
                    }
                } else if (name.startsWith("zk")
                        ? cluster.zkMode(Integer.parseInt(name.substring(2)) - 1)
                                .matches("leader|follower")
                        : stillAnnounced(name)) {
                    it.remove();
                }
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
                if (java.util.stream.Stream.concat(down.keySet().stream(), starting.stream())
                        .anyMatch(n -> n.startsWith("zk"))) {
                    return; // one ZooKeeper server down at a time: the ensemble keeps its quorum
                }
                int leader = cluster.zkLeader();
                int victim =
                        random.nextBoolean() && leader >= 0
                                ? leader
                                : random.nextInt(cluster.zkNodes());
                String name = ProcessCluster.zkName(victim);
                cluster.kill(name);
                note("kill -9 " + name + (victim == leader ? " (ZooKeeper leader)" : ""));
                down.put(name, System.currentTimeMillis() + 2_000 + random.nextInt(4_000));
            }
        }

        /** 0 kill -9, 1 SIGTERM, 2 and 3 SIGSTOP past the session timeout. */
        private void fault(String name, int kind) throws Exception {
            long back =
                    System.currentTimeMillis() + SESSION.toMillis() + 1_000 + random.nextInt(3_000);
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

        /**
         * Resumes the paused and restarts the dead whose time has come (all of them with {@code
         * all}).
         */
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
                    // a dead process's session has not expired yet: the same id cannot start again
                    // until it has
                    continue;
                } else {
                    cluster.start(name);
                    starting.add(name);
                    note("restart " + name);
                }
                it.remove();
            }
        }

        void healAll() throws Exception {
            ProcessCluster.await(
                    "every process back",
                    Duration.ofMinutes(3),
                    () -> {
                        try {
                            bringBack(true);
                            settleStarting();
                            return down.isEmpty() && starting.isEmpty();
                        } catch (Exception e) {
                            return false;
                        }
                    });
            cluster.awaitEnsemble(Duration.ofMinutes(2));
            awaitSteady();
        }

        void awaitSteady() {
            ProcessCluster.await(
                    "all coordinators and workers announced",
                    Duration.ofMinutes(3),
                    () -> {
                        try {
                            return zk.getChildren().forPath(paths.coordinators()).size()
                                            == COORDINATORS.size()
                                    && zk.getChildren().forPath(paths.workers()).size()
                                            == WORKERS.size();
                        } catch (Exception e) {
                            return false;
                        }
                    });
        }

        private boolean stillAnnounced(String name) {
            try {
                String path =
                        name.startsWith("worker") ? paths.worker(name) : paths.coordinator(name);
                return zk.checkExists().forPath(path) != null;
            } catch (Exception e) {
                return true;
            }
        }

        private boolean isUp(String name) {
            return !down.containsKey(name) && !starting.contains(name);
        }

        private String pick(List<String> names) {
            List<String> up = names.stream().filter(this::isUp).toList();
            return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
        }

        private int upCount(List<String> names) {
            return (int) names.stream().filter(this::isUp).count();
        }

        private void note(String what) {
            String line =
                    String.format(
                            "%5.1fs %s", (System.currentTimeMillis() - startMs) / 1000.0, what);
            log.add(line);
            System.out.println("ChaosIT: " + line);
        }
    }
}
