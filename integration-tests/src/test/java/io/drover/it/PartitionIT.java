package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.RetryPolicy;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.testkit.TcpProxy;
import io.drover.worker.TaskEvent;
import io.drover.worker.TaskHandler;
import io.drover.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real network partitions between one process and ZooKeeper, through a cuttable proxy. */
class PartitionIT extends ClusterIT {
    private final List<TcpProxy> proxies = new ArrayList<>();

    @AfterEach
    void closeProxies() {
        cluster.close(); // first, while the links still work (closing twice is harmless)
        proxies.forEach(TcpProxy::close);
    }

    private CuratorFramework sessionThrough(TcpProxy proxy, int sessionTimeoutMs) {
        return ZK.newClient(proxy.connectString(), sessionTimeoutMs);
    }

    private TcpProxy proxy() throws Exception {
        TcpProxy p = TcpProxy.forConnectString(ZK.connectString());
        proxies.add(p);
        return p;
    }

    @Test
    void workerPartitionedBrieflyWithinItsSession_keepsItsTask_noSecondRun() throws Exception {
        Gate gate = new Gate(false);
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        TcpProxy link = proxy();
        Worker w1 =
                cluster.worker(sessionThrough(link, 10_000), "w1", 1, Map.of("slow", gate), null);
        cluster.worker("w2", 1, Map.of("slow", gate), null);
        List<TaskEvent> events = new CopyOnWriteArrayList<>();
        w1.addListener(events::add);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("slow").id("t1").build()).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.executions.size() == 1);
        String runner = gate.executions.get(0).workerId();

        link.partition();
        gate.open();
        // the handler returns while its worker is cut off, so its commit goes into the void...
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.finished.size() == 1);
        link.heal(); // ...and the link comes back well within the 10 s session
        TaskStatus done = client.await("t1", Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.workerId()).isEqualTo(runner);
        assertThat(gate.executions).hasSize(1);
    }

    @Test
    void workerPartitionedLongerThanItsSession_taskRunsElsewhere_itsLateResultNeverCommits()
            throws Exception {
        Gate gate = new Gate(true);
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        TcpProxy link = proxy();
        Worker w1 =
                cluster.worker(sessionThrough(link, 2_000), "w1", 1, Map.of("slow", gate), null);
        List<TaskEvent> events = new CopyOnWriteArrayList<>();
        w1.addListener(events::add);
        DroverClient client = cluster.client();
        client.submit(
                        TaskSpec.builder("slow")
                                .id("t2")
                                .retry(new RetryPolicy(100, 100, 1.0, false))
                                .build())
                .join();
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.executionsOn("w1") == 1);

        link.partition();
        cluster.worker("w2", 1, Map.of("slow", gate), null);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> gate.executionsOn("w2") == 1); // w1's session expired; attempt 2 runs
        gate.open();
        TaskStatus done = client.await("t2", Duration.ofSeconds(30));
        link.heal();
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                events.stream()
                                        .anyMatch(
                                                e ->
                                                        e.kind() == TaskEvent.Kind.ABANDONED
                                                                || e.kind()
                                                                        == TaskEvent.Kind
                                                                                .REJECTED));

        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.workerId()).isEqualTo("w2");
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(events).extracting(TaskEvent::kind).doesNotContain(TaskEvent.Kind.COMMITTED);
        assertThat(client.status("t2").join()).isEqualTo(done);
    }

    @Test
    void leaderPartitioned_standbyTakesOver_everyTaskRunsExactlyOnce() throws Exception {
        TcpProxy link = proxy();
        Coordinator c1 =
                Coordinator.builder()
                        .client(sessionThrough(link, 2_000))
                        .cluster(cluster.cluster())
                        .id("c1")
                        .build();
        c1.start();
        long firstEpoch = c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        TaskHandler counting =
                ctx -> {
                    runs.computeIfAbsent(ctx.taskId(), k -> new AtomicInteger()).incrementAndGet();
                    return null;
                };
        cluster.worker("w1", 4, Map.of("work", counting), null);
        cluster.worker("w2", 4, Map.of("work", counting), null);
        DroverClient client = cluster.client();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(client.submit(TaskSpec.builder("work").id("a" + i).build()).join().taskId());
        }

        link.partition(); // the leader is cut off; submissions go on
        for (int i = 0; i < 200; i++) {
            ids.add(client.submit(TaskSpec.builder("work").id("b" + i).build()).join().taskId());
        }
        long secondEpoch = c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        List<TaskStatus> done = client.awaitAll(ids, Duration.ofSeconds(60));
        link.heal();
        c1.close();

        assertThat(secondEpoch).isGreaterThan(firstEpoch);
        assertThat(done).extracting(TaskStatus::state).containsOnly(TaskState.SUCCEEDED);
        assertThat(runs).hasSize(400);
        assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }
}
