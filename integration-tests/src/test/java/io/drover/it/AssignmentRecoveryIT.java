package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import io.drover.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

class AssignmentRecoveryIT extends ClusterIT {
    @Test
    void workerAnnouncesButNeverClaims_assignmentRevokedAfterTimeout_taskRunsOnAnotherWorker()
            throws Exception {
        CuratorFramework zk = ZK.newClient();
        Coordinator coordinator =
                Coordinator.builder()
                        .client(zk)
                        .cluster(cluster.cluster())
                        .id("c1")
                        .reconcileInterval(Duration.ofMillis(300))
                        .assignmentTimeout(Duration.ofMillis(500))
                        .build();
        coordinator.start();
        coordinator.whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverPaths paths = new DroverPaths(cluster.cluster());
        // A hung worker: announced with capacity, never claims anything.
        CuratorFramework hungSession = ZK.newClient();
        hungSession.create().creatingParentsIfNeeded().forPath(paths.assignments("hung"));
        hungSession
                .create()
                .withMode(CreateMode.EPHEMERAL)
                .forPath(
                        paths.worker("hung"),
                        DroverJson.encode(
                                new WorkerInfo(
                                        1,
                                        "hung",
                                        5,
                                        List.of("job"),
                                        Map.of(),
                                        WorkerState.ACTIVE,
                                        "test",
                                        "h",
                                        0,
                                        false)));
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("job").id("stuck-then-freed").build()).join();
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                hungSession
                                                .checkExists()
                                                .forPath(
                                                        paths.assignment(
                                                                "hung", "stuck-then-freed"))
                                        != null);

        cluster.worker("healthy", 1, Map.of("job", ctx -> "ok"), null);
        TaskStatus done = client.await("stuck-then-freed", Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.workerId()).isEqualTo("healthy");
        assertThat(done.attempt())
                .as("an unclaimed assignment does not use an attempt")
                .isEqualTo(1);
        assertThat(hungSession.checkExists().forPath(paths.assignment("hung", "stuck-then-freed")))
                .isNull();
        coordinator.close();
    }

    @Test
    void drainingWorker_finishesWhatItHas_takesNothingNew_drainCompletes() throws Exception {
        Gate gate = new Gate(false);
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        Worker draining = cluster.worker("draining", 2, Map.of("job", gate), null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("job").id("before-drain").build()).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.executionsOn("draining") == 1);

        var drained = draining.drain();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> draining.state() == WorkerState.DRAINING);
        cluster.worker("fresh", 2, Map.of("job", ctx -> "fresh"), null);
        client.submit(TaskSpec.builder("job").id("after-drain").build()).join();
        TaskStatus after = client.await("after-drain", Duration.ofSeconds(30));
        gate.open();
        TaskStatus before = client.await("before-drain", Duration.ofSeconds(30));

        drained.get(20, TimeUnit.SECONDS);
        assertThat(after.workerId()).isEqualTo("fresh");
        assertThat(before.workerId()).isEqualTo("draining");
        assertThat(before.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(draining.runningCount()).isZero();
    }
}
