package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.model.DroverPaths;
import io.drover.model.RetryPolicy;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.protocol.Fsck;
import io.drover.store.LayoutUpgrade;
import io.drover.worker.TaskHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * A layout-1 cluster, stopped with tasks in every state (one of them running on a worker that then
 * died), is moved to layout 2 by {@link LayoutUpgrade}; the cluster started again on it loses
 * nothing and runs everything that was left.
 */
class LayoutUpgradeIT extends ClusterIT {
    @Test
    void aLayout1ClusterStoppedMidTask_upgraded_restartedOnLayout2_finishesEveryTask()
            throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverPaths layout1 = cluster.layOutInLayout1(zk);
        CountDownLatch never = new CountDownLatch(1);
        TaskHandler stuck =
                ctx -> {
                    never.await();
                    return Map.of();
                };
        TaskHandler echo = ctx -> Map.of("ok", true);
        CountDownLatch failNow = new CountDownLatch(1);
        TaskHandler failsOnce =
                ctx -> {
                    failNow.await();
                    throw new IllegalStateException("the first attempt fails");
                };

        var before = cluster.coordinator("c1");
        before.whenLeaderReady().get(30, TimeUnit.SECONDS);
        CuratorFramework dyingSession = ZK.newClient();
        cluster.worker(
                dyingSession,
                "w1",
                2,
                Map.of("echo", echo, "slow", stuck, "flaky", failsOnce),
                null);
        DroverClient old = cluster.client();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add("ended-" + i);
            old.submit(TaskSpec.builder("echo").id("ended-" + i).build()).join();
        }
        old.submit(TaskSpec.builder("slow").id("running").build()).join();
        old.submit(
                        TaskSpec.builder("flaky")
                                .id("retried")
                                .maxAttempts(3)
                                .retry(new RetryPolicy(100, 100, 1.0, false))
                                .build())
                .join();
        old.submit(TaskSpec.builder("later").id("parked").build()).join();
        old.submit(TaskSpec.builder("echo").id("after-parked").dependsOn("parked").build()).join();
        old.awaitAll(ids, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                old.status("running").join().state() == TaskState.RUNNING
                                        && old.status("retried").join().state()
                                                == TaskState.RUNNING);

        before.close(); // the coordinators stop first, so the running task stays assigned
        failNow.countDown(); // a retry: PENDING again, its status and pending entry past version 0
        await().atMost(Duration.ofSeconds(30))
                .until(() -> old.status("retried").join().state() == TaskState.PENDING);
        assertThat(zk.checkExists().forPath(layout1.status("retried")).getVersion()).isPositive();
        dyingSession.close(); // and the worker dies
        old.close();
        LayoutUpgrade.Report report = LayoutUpgrade.run(zk, cluster.cluster(), line -> {});
        never.countDown();

        assertThat(report.fromLayout()).isEqualTo(1);
        assertThat(report.movedTotal()).isPositive();
        assertThat(report.done()).isTrue();
        assertThat(report.quarantined()).isEmpty();
        DroverPaths layout2 = new DroverPaths(cluster.cluster());
        assertThat(new Fsck(zk, layout2).scan()).isEmpty();
        assertThat(layout2.layoutVersion()).isEqualTo(2);

        cluster.coordinator("c2").whenLeaderReady().get(30, TimeUnit.SECONDS);
        cluster.worker(
                "w2", 2, Map.of("echo", echo, "slow", echo, "flaky", echo, "later", echo), null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("echo").id("new").build()).join();
        ids.addAll(List.of("running", "retried", "parked", "after-parked", "new"));
        assertThat(client.awaitAll(ids, Duration.ofSeconds(30)))
                .extracting(s -> s.state())
                .containsOnly(TaskState.SUCCEEDED);
        assertThat(client.status("running").join().attempt())
                .as("the dead worker's attempt counts, and another ran it")
                .isGreaterThanOrEqualTo(2);
        for (String id : List.of("running", "ended-0", "ended-1", "new")) {
            assertThat(zk.checkExists().forPath(layout2.status(id))).as(id).isNotNull();
        }
        zk.close();
    }
}
