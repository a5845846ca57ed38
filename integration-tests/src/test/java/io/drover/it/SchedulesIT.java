package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.DroverPaths;
import io.drover.model.Schedule;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.protocol.ZnodeKind;
import io.drover.store.ScheduleStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * The leader firing cron schedules, in one JVM on a real ZooKeeper server: a corrupt schedule is
 * reported and skipped while the others fire, overlap SKIP holds a tick back while the last run is
 * not over, and a standby that takes over fires on from where the leader stopped.
 */
class SchedulesIT extends ClusterIT {
    private static Schedule everySecond(String id, String type, Schedule.Overlap overlap) {
        return Schedule.define(
                id, "* * * * * *", null, TaskSpec.builder(type).build(), null, overlap);
    }

    private static Schedule stored(ScheduleStore store, String id) {
        return store.get(id).orElseThrow();
    }

    /** The ids of the tasks a schedule fired, in tick order (one listing per bucket). */
    private static List<String> firedBy(CuratorFramework zk, DroverPaths paths, String id)
            throws Exception {
        List<String> out = new ArrayList<>();
        for (String bucket : paths.buckets(paths.tasks())) {
            for (String task : zk.getChildren().forPath(bucket)) {
                if (task.startsWith(id + ":")) {
                    out.add(task);
                }
            }
        }
        out.sort(null);
        return out;
    }

    @Test
    void corruptSchedule_isReportedAndSkipped_theOthersFireOn_andOnceFixedItFiresToo()
            throws Exception {
        Coordinator leader = cluster.coordinator("c1");
        leader.whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient client = cluster.client();
        CuratorFramework zk = ZK.newClient();
        DroverPaths paths = new DroverPaths(cluster.cluster());
        zk.create()
                .forPath(
                        paths.schedule("broken"),
                        "{\"v\":1,\"id\":\"broken\",\"cron\":\"nope\"}"
                                .getBytes(StandardCharsets.UTF_8));
        client.schedules().put(everySecond("good", "noop", Schedule.Overlap.ALLOW), null, false);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> stored(client.schedules(), "good").lastTaskId() != null);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> leader.corruptNodes().current().containsKey(paths.schedule("broken")));
        assertThat(leader.corruptNodes().current().get(paths.schedule("broken")).kind())
                .isEqualTo(ZnodeKind.SCHEDULE);

        client.schedules().put(everySecond("broken", "noop", Schedule.Overlap.ALLOW), null, false);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> stored(client.schedules(), "broken").lastTaskId() != null);
        assertThat(leader.corruptNodes().current()).doesNotContainKey(paths.schedule("broken"));
    }

    @Test
    void overlapSkip_holdsTicksBackWhileTheLastRunIsNotOver_thenFiresAgain() throws Exception {
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        Gate gate = new Gate(false);
        cluster.worker("w1", 4, Map.of("slow", gate), null);
        DroverClient client = cluster.client();
        ScheduleStore schedules = client.schedules();
        schedules.put(everySecond("slow-job", "slow", Schedule.Overlap.SKIP), null, false);

        Schedule first =
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> stored(schedules, "slow-job"), s -> s.lastTaskId() != null);
        String firstTask = first.lastTaskId();
        // Two more ticks handled, and nothing fired for them: the leader skipped them.
        Schedule skipping =
                await().atMost(Duration.ofSeconds(20))
                        .until(
                                () -> stored(schedules, "slow-job"),
                                s -> s.lastTickMs() >= s.lastFiredTickMs() + 2_000);
        assertThat(skipping.lastTaskId()).isEqualTo(firstTask);
        CuratorFramework zk = ZK.newClient();
        DroverPaths paths = new DroverPaths(cluster.cluster());
        assertThat(firedBy(zk, paths, "slow-job")).containsExactly(firstTask);

        gate.open();
        assertThat(client.await(firstTask, Duration.ofSeconds(30)).state())
                .isEqualTo(TaskState.SUCCEEDED);
        Schedule again =
                await().atMost(Duration.ofSeconds(20))
                        .until(
                                () -> stored(schedules, "slow-job"),
                                s -> !firstTask.equals(s.lastTaskId()));
        assertThat(again.lastFiredTickMs()).isGreaterThan(skipping.lastTickMs());
        schedules.delete("slow-job", null);
    }

    @Test
    void leaderStops_theStandbyFiresOn_fromWhereItStopped_noTickTwice() throws Exception {
        Coordinator c1 = cluster.coordinator("c1");
        long firstEpoch = c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        DroverClient client = cluster.client();
        ScheduleStore schedules = client.schedules();
        schedules.put(everySecond("beat", "noop", Schedule.Overlap.ALLOW), null, false);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> stored(schedules, "beat"), s -> s.lastFiredTickMs() > 0);

        c1.close(); // yields at once
        long secondEpoch = c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        long handedOverAt = stored(schedules, "beat").lastFiredTickMs();
        Schedule later =
                await().atMost(Duration.ofSeconds(20))
                        .until(
                                () -> stored(schedules, "beat"),
                                s -> s.lastFiredTickMs() >= handedOverAt + 3_000);
        schedules.delete("beat", null);

        assertThat(secondEpoch).isGreaterThan(firstEpoch);
        List<String> fired = firedBy(ZK.newClient(), new DroverPaths(cluster.cluster()), "beat");
        assertThat(fired).doesNotHaveDuplicates().contains(later.lastTaskId());
        assertThat(fired)
                .as("every tick from the handover on, one task each")
                .containsAll(
                        List.of(
                                Schedule.taskIdFor("beat", later.lastFiredTickMs() - 2_000),
                                Schedule.taskIdFor("beat", later.lastFiredTickMs() - 1_000)));
    }
}
