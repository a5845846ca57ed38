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
import io.drover.protocol.Znodes;
import io.drover.store.StoreOptions;
import io.drover.testkit.ZooKeeperServerExtension;
import io.drover.worker.TaskHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any worker may write any task's status (ZooKeeper's ACLs cannot tie it to the claim holder), so a
 * compromised worker can write an end for a task it does not hold. Such an end is never kept: every
 * genuine end removes the task's assignment or pending entry in the same multi, and the leader
 * discards an end that left either behind; retention never deletes on such an end.
 */
class ForgedEndIT {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();
    @TempDir Path dir;

    private ClusterHarness cluster;
    private SecureIdentities ids;
    private DroverPaths paths;
    private DroverClient client;
    private CuratorFramework forger;

    @BeforeEach
    void secureCluster() throws Exception {
        cluster = new ClusterHarness(ZK);
        paths = new DroverPaths(cluster.cluster());
        List<String> workers = List.of("honest", "rogue");
        ids = new SecureIdentities(ZK.connectString(), dir, workers);
        ids.apply(cluster.cluster());
        Coordinator c =
                cluster.coordinator(
                        ids.session("coordinator"),
                        "c1",
                        b -> b.gcInterval(Duration.ofMillis(200)));
        c.whenLeaderReady().get(30, TimeUnit.SECONDS);
        client =
                DroverClient.using(
                        ids.session("client"), cluster.cluster(), StoreOptions.defaults());
        forger = ids.workerSession("rogue"); // a worker's identity, used by hand
    }

    @AfterEach
    void stop() {
        client.close();
        cluster.close();
        ids.close();
    }

    /** Writes SUCCEEDED over the task's status as it is now, and a retention entry. */
    private void forgeEnd(String taskId, long finishedAtMs) throws Exception {
        Stat stat = new Stat();
        byte[] raw = forger.getData().storingStatIn(stat).forPath(paths.status(taskId));
        TaskStatus now = Znodes.status(paths.status(taskId), raw);
        TaskStatus forged =
                now.finished(
                        TaskState.SUCCEEDED,
                        now.fencingToken(),
                        DroverJson.parsePayload("{\"forged\":true}"),
                        null,
                        finishedAtMs);
        forger.setData()
                .withVersion(stat.getVersion())
                .forPath(paths.status(taskId), DroverJson.encode(forged));
        forger.create().forPath(paths.done(taskId, finishedAtMs));
    }

    private TaskHandler counting(AtomicInteger runs, CountDownLatch gate) {
        return ctx -> {
            runs.incrementAndGet();
            gate.await(30, TimeUnit.SECONDS);
            return DroverJson.parsePayload("{\"genuine\":true}");
        };
    }

    @Test
    void aForgedEndOfAPendingTask_survivesRetention_andIsDiscardedWhenTheTaskIsDispatched()
            throws Exception {
        String taskId = client.submit(TaskSpec.builder("orphan").build()).join().taskId();
        forgeEnd(taskId, 1); // ended in 1970, says the entry
        CuratorFramework admin = ids.session("admin");

        // Retention runs every 200 ms.
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(5))
                .until(
                        () ->
                                admin.checkExists().forPath(paths.task(taskId)) != null
                                        && admin.checkExists().forPath(paths.status(taskId))
                                                != null);

        AtomicInteger runs = new AtomicInteger();
        try (LogCapture audit = new LogCapture("io.drover.coordinator.internal.PendingAudit")) {
            cluster.worker(
                    ids.workerSession("honest"),
                    "honest",
                    1,
                    Map.of("orphan", counting(runs, new CountDownLatch(0))),
                    null);
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() == 1);
            assertThat(
                            audit.contains(
                                    "is SUCCEEDED (written by nobody named) while its pending entry"))
                    .isTrue();
        }
    }

    @Test
    void aForgedEndOfARunningTask_isDiscarded_andTheTaskRunsAgain() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        cluster.worker(
                ids.workerSession("honest"),
                "honest",
                1,
                Map.of("slow", counting(runs, gate)),
                null);
        String taskId = client.submit(TaskSpec.builder("slow").build()).join().taskId();
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() == 1);

        try (LogCapture recovery = new LogCapture("io.drover.coordinator.internal.ForgedEnds")) {
            forgeEnd(taskId, System.currentTimeMillis()); // retention leaves it for an hour
            gate.countDown(); // the honest commit now meets a status it did not write, and fails

            await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() == 2);
            assertThat(
                            recovery.contains(
                                    "is SUCCEEDED while its assignment to honest still exists"))
                    .isTrue();
        }
        TaskStatus end = client.await(taskId, Duration.ofSeconds(30));
        assertThat(end.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(end.result().get("genuine").asBoolean()).isTrue();
        assertThat(end.attempt()).isEqualTo(2);
        assertThat(end.attempts())
                .as("the forged status's history is not believed; the attempt counts as lost")
                .extracting(
                        io.drover.model.TaskAttempt::attempt,
                        io.drover.model.TaskAttempt::workerId,
                        io.drover.model.TaskAttempt::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "honest", "LOST"),
                        org.assertj.core.groups.Tuple.tuple(2, "honest", "SUCCEEDED"));
    }
}
