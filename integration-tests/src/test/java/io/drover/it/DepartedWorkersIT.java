package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.coordinator.Coordinator;
import io.drover.model.DroverPaths;
import io.drover.worker.Worker;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * Workers with generated ids leave nothing behind: the leader sweeps the folders of departed
 * workers.
 */
class DepartedWorkersIT extends ClusterIT {

    @Test
    void hundredWorkerRestartsWithRandomIds_idleZnodeCountReturnsToWhereItStarted()
            throws Exception {
        CuratorFramework zk = ZK.newClient();
        Coordinator c =
                cluster.coordinator(
                        zk,
                        "c1",
                        b ->
                                b.gcInterval(Duration.ofMillis(200))
                                        .departedWorkerGrace(Duration.ofMillis(500)));
        c.whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverPaths paths = new DroverPaths(cluster.cluster());
        Worker steady =
                cluster.worker(
                        "steady",
                        1,
                        Map.of("noop", ctx -> null),
                        b -> b.itemHandler(new io.drover.worker.demo.DemoItems()));
        int idle = countNodes(zk, paths.root());

        for (int i = 0; i < 100; i++) {
            // its own session, closed with it: ZooKeeper allows 60 connections per address
            CuratorFramework session = ZK.newClient();
            Worker w =
                    cluster.worker(
                            session,
                            "gen-" + UUID.randomUUID(),
                            1,
                            Map.of("noop", ctx -> null),
                            b -> b.itemHandler(new io.drover.worker.demo.DemoItems()));
            w.close();
            session.close();
        }
        assertThat(countNodes(zk, paths.root()))
                .as("each departed worker left folders")
                .isGreaterThan(idle);

        await().atMost(Duration.ofSeconds(30)).until(() -> countNodes(zk, paths.root()) == idle);
        assertThat(zk.checkExists().forPath(paths.assignments("steady")))
                .as("a live worker keeps its folders")
                .isNotNull();
        assertThat(steady.state()).isNotNull();
    }

    @Test
    void workerGoneLongEnoughToBeSwept_comesBackWithANewSession_recreatesItsFolders_andRunsTasks()
            throws Exception {
        CuratorFramework zk = ZK.newClient();
        Coordinator c =
                cluster.coordinator(
                        zk,
                        "c1",
                        b ->
                                b.gcInterval(Duration.ofMillis(200))
                                        .departedWorkerGrace(Duration.ofMillis(300)));
        c.whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverPaths paths = new DroverPaths(cluster.cluster());
        try (io.drover.testkit.TcpProxy link =
                io.drover.testkit.TcpProxy.forConnectString(ZK.connectString())) {
            CuratorFramework session = ZK.newClient(link.connectString(), 2_000);
            cluster.worker(session, "comeback", 1, Map.of("only-here", ctx -> "back"), null);

            // Cut off past its session: the leader sees it gone and, after the grace, sweeps its
            // folder.
            link.partition();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> zk.checkExists().forPath(paths.assignments("comeback")) == null);
            link.heal();

            // Back with a new session: it re-creates its folder, announces itself, and takes work
            // again.
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    zk.checkExists().forPath(paths.assignments("comeback")) != null
                                            && zk.checkExists().forPath(paths.worker("comeback"))
                                                    != null);
            io.drover.client.DroverClient client = cluster.client();
            client.submit(
                            io.drover.model.TaskSpec.builder("only-here")
                                    .id("after-comeback")
                                    .build())
                    .join();
            assertThat(client.await("after-comeback", Duration.ofSeconds(30)).state())
                    .isEqualTo(io.drover.model.TaskState.SUCCEEDED);
        }
    }

    /**
     * Counted by the server in one call: a walk of the tree would race with the sweep deleting
     * under it.
     */
    private static int countNodes(CuratorFramework zk, String path) throws Exception {
        return 1 + zk.getZookeeperClient().getZooKeeper().getAllChildrenNumber(path);
    }
}
