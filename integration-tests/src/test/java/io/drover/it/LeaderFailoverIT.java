package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.testkit.Faults;
import io.drover.worker.TaskHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

class LeaderFailoverIT extends ClusterIT {
    private static TaskHandler counting(Map<String, AtomicInteger> runs, AtomicInteger completed) {
        return ctx -> {
            runs.computeIfAbsent(ctx.taskId(), k -> new AtomicInteger()).incrementAndGet();
            java.util.concurrent.locks.LockSupport.parkNanos(
                    1_000_000); // 1 ms of work keeps tasks in flight while the leader changes
            completed.incrementAndGet();
            return null;
        };
    }

    @Test
    void leaderCrashesWithTasksInFlight_standbyTakesOver_nothingLostNothingRunTwice()
            throws Exception {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        AtomicInteger completed = new AtomicInteger();
        CuratorFramework c1Session = ZK.newClient();
        Coordinator c1 =
                Coordinator.builder().client(c1Session).cluster(cluster.cluster()).id("c1").build();
        c1.start();
        long firstEpoch = c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        for (int i = 1; i <= 3; i++) {
            cluster.worker("w" + i, 8, Map.of("work", counting(runs, completed)), null);
        }
        DroverClient client = cluster.client();
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            specs.add(TaskSpec.builder("work").id("f-" + i).priority(i % 3).build());
        }
        List<String> ids = client.submitAll(specs).stream().map(f -> f.join().taskId()).toList();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> completed.get() >= 300);

        Faults.expireSession(
                c1Session, ZK.connectString()); // the leader's session dies as in a crash
        long secondEpoch = c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        List<TaskStatus> done = client.awaitAll(ids, Duration.ofMinutes(2));
        c1.close();

        assertThat(secondEpoch).isGreaterThan(firstEpoch);
        assertThat(done).extracting(TaskStatus::state).containsOnly(TaskState.SUCCEEDED);
        assertThat(runs).hasSize(2000);
        assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(done.stream().filter(s -> s.epoch() == secondEpoch).count()).isPositive();
    }

    @Test
    void leaderStopsGracefully_standbyLeadsAtOnce_andAssignsNewWork() throws Exception {
        Coordinator c1 = cluster.coordinator("c1");
        long firstEpoch = c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        cluster.worker("w1", 4, Map.of("noop", ctx -> null), null);
        DroverClient client = cluster.client();

        c1.close();
        long secondEpoch = c2.whenLeaderReady().get(10, TimeUnit.SECONDS);
        client.submit(TaskSpec.builder("noop").id("after-failover").build()).join();

        TaskStatus done = client.await("after-failover", Duration.ofSeconds(30));
        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.epoch()).isEqualTo(secondEpoch).isGreaterThan(firstEpoch);
        assertThat(c1.isLeaderReady()).isFalse();
        assertThat(c2.isLeaderReady()).isTrue();
    }
}
