package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.cli.failover.ProcessCluster;
import io.drover.client.DroverClient;
import io.drover.model.Cron;
import io.drover.model.DroverPaths;
import io.drover.model.Schedule;
import io.drover.model.TaskSpec;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperClients;
import io.drover.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * Cron schedules through leader failover, with real processes: a ZooKeeper server and two
 * coordinator servers, the leader stopped with SIGTERM or killed with {@code kill -9} close to tick
 * boundaries (seeded offsets, the seed printed), then a gap with no leader at all. Four schedules
 * fire meanwhile: every 2 s and every 10 s, each with misfire SKIP and FIRE_ONCE. From the
 * coordinators' own logs (when each leader was ready, when its term ended) and the signals the test
 * sent, it checks that no tick fired twice, that every tick well inside a leader's office fired,
 * that each new leader's first task is the latest tick due when it fired it, and that the gap was
 * filled by one late task under FIRE_ONCE and by none under SKIP. Logs stay in {@code
 * target/schedule-failover-it}; {@code -Ddrover.schedules.seed=N} repeats a run.
 */
class ScheduleFailoverIT {
    private static final Duration SESSION = Duration.ofSeconds(4);
    private static final List<String> COORDINATORS = List.of("coordinator-1", "coordinator-2");

    /** A tick this close to the start or the end of an office is not required to fire. */
    private static final long MARGIN_MS = 1_000;

    private static final Map<String, String> CRONS =
            Map.of(
                    "skip2", "*/2 * * * * *",
                    "once2", "*/2 * * * * *",
                    "skip10", "*/10 * * * * *",
                    "once10", "*/10 * * * * *");

    private final Path dir = Path.of("target", "schedule-failover-it").toAbsolutePath();
    private final Map<Long, Long> signalledAt = new HashMap<>(); // epoch -> when its leader went
    private ProcessCluster cluster;
    private CuratorFramework zk;
    private final DroverPaths paths = new DroverPaths("default");

    private record Leader(long epoch, String id, long readyAtMs) {}

    @Test
    void leadersStoppedAndKilledAroundTicks_noTickTwice_everyTickInOfficeOnce_gapFilledOnce()
            throws Exception {
        long seed = Long.getLong("drover.schedules.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("ScheduleFailoverIT: seed %d%n", seed);
        deleteRecursively(dir);
        long gapTick;
        long definedAt;
        Map<String, Map<Long, TaskSpec>> fired = new TreeMap<>();
        Map<String, Schedule> records = new HashMap<>();
        try (ProcessCluster c = new ProcessCluster(dir.toFile(), 1, SESSION)) {
            cluster = c;
            cluster.startEnsemble(Duration.ofMinutes(2));
            for (String id : COORDINATORS) {
                cluster.startCoordinator(id);
            }
            try (CuratorFramework session =
                            ZooKeeperClients.startAndConnect(
                                    ZooKeeperClients.newClient(
                                            cluster.connectString(),
                                            Duration.ofSeconds(30),
                                            Duration.ofSeconds(15)),
                                    cluster.connectString());
                    DroverClient client =
                            DroverClient.using(session, "default", StoreOptions.defaults())) {
                zk = session;
                awaitLeader(1);
                definedAt = System.currentTimeMillis();
                for (var s : CRONS.entrySet()) {
                    client.schedules()
                            .put(
                                    Schedule.define(
                                            s.getKey(),
                                            s.getValue(),
                                            "Europe/Paris",
                                            TaskSpec.builder("noop").build(),
                                            s.getKey().startsWith("once")
                                                    ? Schedule.Misfire.FIRE_ONCE
                                                    : Schedule.Misfire.SKIP,
                                            Schedule.Overlap.ALLOW),
                                    null,
                                    false);
                }
                for (int round = 0; round < 4; round++) {
                    handOver(round % 2 == 1, random.nextInt(401) - 200);
                }
                gapTick = noLeaderGap(random.nextInt(401) - 200);
                Leader last = awaitLeader(0);
                awaitClock(last.readyAtMs() + 4_500);
                signalledAt.put(last.epoch(), System.currentTimeMillis());
                for (String id : COORDINATORS) {
                    cluster.stop(id);
                }
                for (String s : CRONS.keySet()) {
                    fired.put(s, firedBy(client, s));
                    records.put(s, client.schedules().get(s).orElseThrow());
                }
            }
        }
        check(
                OfficeLog.read(
                        COORDINATORS.stream()
                                .map(id -> dir.resolve("logs/" + id + ".log"))
                                .toList()),
                fired,
                records,
                definedAt,
                gapTick);
    }

    /**
     * Lets the leader fire a few ticks, then stops it (SIGTERM) or kills it ({@code kill -9}) at a
     * 2 s tick boundary plus {@code offsetMs}; the standby takes over and the old leader comes back
     * as the next standby.
     */
    private void handOver(boolean kill, long offsetMs) throws Exception {
        Leader l = awaitLeader(0);
        awaitStandby();
        long boundary =
                (Math.max(System.currentTimeMillis(), l.readyAtMs() + 4_000) / 2_000 + 1) * 2_000;
        awaitClock(boundary + offsetMs);
        signalledAt.put(l.epoch(), System.currentTimeMillis());
        if (kill) {
            cluster.kill(l.id());
        } else {
            cluster.stop(l.id());
        }
        awaitLeader(l.epoch() + 1);
        cluster.start(l.id());
    }

    /**
     * A gap with no leader: the standby frozen (SIGSTOP), the leader killed, the test waits past a
     * 10 s tick by more than the misfire grace, then thaws the standby, whose session expired
     * meanwhile: it joins again and takes office alone, a few seconds before the next 10 s tick.
     * Returns the 10 s tick missed.
     */
    private long noLeaderGap(long offsetMs) throws Exception {
        Leader l = awaitLeader(0);
        awaitStandby();
        String standby =
                COORDINATORS.get(0).equals(l.id()) ? COORDINATORS.get(1) : COORDINATORS.get(0);
        long boundary =
                (Math.max(System.currentTimeMillis(), l.readyAtMs() + 4_000) / 2_000 + 1) * 2_000;
        awaitClock(boundary + offsetMs);
        cluster.pause(standby);
        signalledAt.put(l.epoch(), System.currentTimeMillis());
        cluster.kill(l.id());
        long missed = (System.currentTimeMillis() / 10_000 + 1) * 10_000;
        awaitClock(missed + Schedule.MISFIRE_GRACE_MS + 1_000);
        cluster.resume(standby);
        Leader next = awaitLeader(l.epoch() + 1);
        assertThat(next.id()).isEqualTo(standby);
        assertThat(next.readyAtMs())
                .as("the thawed standby took office before the next 10 s tick")
                .isBetween(missed + Schedule.MISFIRE_GRACE_MS, missed + 10_000);
        cluster.start(l.id());
        return missed;
    }

    private void check(
            OfficeLog log,
            Map<String, Map<Long, TaskSpec>> fired,
            Map<String, Schedule> records,
            long definedAt,
            long gapTick) {
        List<long[]> offices = new ArrayList<>();
        List<Long> epochs = new ArrayList<>(log.terms().keySet());
        for (int i = 0; i < epochs.size(); i++) {
            OfficeLog.Term t = log.terms().get(epochs.get(i));
            long end = Long.MAX_VALUE;
            for (long at :
                    new long[] {
                        t.endedAtMs(),
                        signalledAt.getOrDefault(t.epoch(), 0L),
                        i + 1 < epochs.size() ? log.terms().get(epochs.get(i + 1)).leadsAtMs() : 0
                    }) {
                end = at > 0 ? Math.min(end, at) : end;
            }
            if (t.readyAtMs() > 0 && end < Long.MAX_VALUE) {
                offices.add(new long[] {t.epoch(), t.readyAtMs(), end, t.leadsAtMs()});
            }
        }
        System.out.printf(
                "ScheduleFailoverIT: offices %s%n",
                offices.stream().map(o -> o[0] + ":" + o[1] + ".." + o[2]).toList());
        assertThat(offices)
                .as("every leader's office, from the logs")
                .hasSizeGreaterThanOrEqualTo(6);
        for (var e : fired.entrySet()) {
            String id = e.getKey();
            Cron cron = Cron.parse(CRONS.get(id), "Europe/Paris");
            Map<Long, TaskSpec> tasks = e.getValue();
            System.out.printf("ScheduleFailoverIT: %s fired %d ticks%n", id, tasks.size());
            // No tick twice: one task per tick, named after it, for a tick of the cron, not early.
            tasks.forEach(
                    (tick, spec) -> {
                        assertThat(spec.id()).isEqualTo(Schedule.taskIdFor(id, tick));
                        assertThat(spec.scheduleId()).isEqualTo(id);
                        assertThat(cron.latestAtOrBefore(tick)).as(spec.id()).isEqualTo(tick);
                        assertThat(spec.submittedAtMs()).as(spec.id()).isGreaterThanOrEqualTo(tick);
                    });
            long lastTick = ((TreeMap<Long, TaskSpec>) tasks).lastKey();
            assertThat(records.get(id).lastFiredTickMs()).isEqualTo(lastTick);
            assertThat(records.get(id).lastTaskId()).isEqualTo(Schedule.taskIdFor(id, lastTick));
            // Never backwards: in the order the tasks were submitted, their ticks only grow.
            List<Long> byStamp =
                    tasks.entrySet().stream()
                            .sorted(
                                    java.util.Comparator.comparingLong(
                                            x -> x.getValue().submittedAtMs()))
                            .map(Map.Entry::getKey)
                            .toList();
            assertThat(byStamp).as(id + ": ticks in submission order").isSorted();
            // Every tick well inside an office fired.
            for (long[] o : offices) {
                for (long t = cron.nextAfter(Math.max(o[1], definedAt) + MARGIN_MS - 1);
                        t <= o[2] - MARGIN_MS;
                        t = cron.nextAfter(t)) {
                    assertThat(tasks)
                            .as(id + ": tick " + t + " in the office of epoch " + o[0])
                            .containsKey(t);
                }
            }
            // Each new leader's first task is the latest tick due when it fired it.
            for (long[] o : offices) {
                TaskSpec first =
                        tasks.values().stream()
                                .filter(s -> s.submittedAtMs() >= o[3] && s.submittedAtMs() < o[2])
                                .min(java.util.Comparator.comparingLong(TaskSpec::submittedAtMs))
                                .orElse(null);
                if (first == null) {
                    continue;
                }
                long tick = tickOf(tasks, first);
                assertThat(tick)
                        .as(first.id())
                        .isEqualTo(cron.latestAtOrBefore(first.submittedAtMs()));
                if (id.startsWith("skip")) {
                    assertThat(first.submittedAtMs() - tick)
                            .as(first.id() + ": SKIP fires no tick later than the grace")
                            .isLessThanOrEqualTo(Schedule.MISFIRE_GRACE_MS);
                }
            }
        }
        // The gap: FIRE_ONCE filled it with one late task, SKIP fired nothing for it.
        assertThat(fired.get("once10")).containsKey(gapTick);
        assertThat(fired.get("once10").get(gapTick).submittedAtMs() - gapTick)
                .isGreaterThan(Schedule.MISFIRE_GRACE_MS);
        assertThat(fired.get("skip10")).doesNotContainKey(gapTick);
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        if (!java.nio.file.Files.exists(root)) {
            return;
        }
        try (var files = java.nio.file.Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    private static long tickOf(Map<Long, TaskSpec> tasks, TaskSpec spec) {
        return tasks.entrySet().stream()
                .filter(x -> x.getValue() == spec)
                .findFirst()
                .orElseThrow()
                .getKey();
    }

    /** The tasks a schedule fired, by tick (one listing per bucket, one read per task). */
    private Map<Long, TaskSpec> firedBy(DroverClient client, String id) throws Exception {
        Map<Long, TaskSpec> out = new TreeMap<>();
        java.time.format.DateTimeFormatter f =
                java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
                        .withZone(java.time.ZoneOffset.UTC);
        for (String bucket : paths.buckets(paths.tasks())) {
            for (String task : zk.getChildren().forPath(bucket)) {
                if (task.startsWith(id + ":")) {
                    long tick =
                            java.time.Instant.from(f.parse(task.substring(id.length() + 1)))
                                    .toEpochMilli();
                    TaskSpec previous =
                            out.put(tick, client.store().spec(task).get().orElseThrow());
                    assertThat(previous).as("a second task for tick " + task).isNull();
                }
            }
        }
        return out;
    }

    /**
     * Waits for the leader of an epoch of at least {@code minEpoch} (0: the current one) to log
     * that it is ready.
     */
    private Leader awaitLeader(long minEpoch) {
        return await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(
                        () -> {
                            Stat stat = new Stat();
                            byte[] data =
                                    zk.getData().storingStatIn(stat).forPath(paths.leaderEpoch());
                            long epoch = stat.getVersion();
                            String id = Znodes.epoch(paths.leaderEpoch(), data).leader();
                            OfficeLog log =
                                    OfficeLog.read(List.of(dir.resolve("logs/" + id + ".log")));
                            return epoch >= minEpoch && log.readyAt(epoch).isPresent()
                                    ? new Leader(epoch, id, log.readyAt(epoch).getAsLong())
                                    : null;
                        },
                        l -> l != null);
    }

    /** Waits until both coordinators take part in the election. */
    private void awaitStandby() {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .until(() -> zk.getChildren().forPath(paths.leaderLatch()).size() == 2);
    }

    /** Waits for the wall clock: the faults are timed against ticks. */
    private static void awaitClock(long atMs) {
        await().atMost(Duration.ofMillis(Math.max(0, atMs - System.currentTimeMillis()) + 5_000))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .until(() -> System.currentTimeMillis() >= atMs);
    }
}
