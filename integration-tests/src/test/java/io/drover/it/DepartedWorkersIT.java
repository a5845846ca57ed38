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

/** Workers with generated ids leave nothing behind: the leader sweeps the folders of departed workers. */
class DepartedWorkersIT extends ClusterIT {

    @Test
    void hundredWorkerRestartsWithRandomIds_idleZnodeCountReturnsToWhereItStarted() throws Exception {
        CuratorFramework zk = ZK.newClient();
        Coordinator c = cluster.coordinator(zk, "c1", b -> b.gcInterval(Duration.ofMillis(200)).departedWorkerGrace(Duration.ofMillis(500)));
        c.whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverPaths paths = new DroverPaths(cluster.cluster());
        Worker steady = cluster.worker("steady", 1, Map.of("noop", ctx -> null), b -> b.itemHandler(new io.drover.worker.demo.DemoItems()));
        int idle = countNodes(zk, paths.root());

        for (int i = 0; i < 100; i++) {
            CuratorFramework session = ZK.newClient(); // its own session, closed with it: ZooKeeper allows 60 connections per address
            Worker w = cluster.worker(session, "gen-" + UUID.randomUUID(), 1, Map.of("noop", ctx -> null),
                    b -> b.itemHandler(new io.drover.worker.demo.DemoItems()));
            w.close();
            session.close();
        }
        assertThat(countNodes(zk, paths.root())).as("each departed worker left folders").isGreaterThan(idle);

        await().atMost(Duration.ofSeconds(30)).until(() -> countNodes(zk, paths.root()) == idle);
        assertThat(zk.checkExists().forPath(paths.assignments("steady"))).as("a live worker keeps its folders").isNotNull();
        assertThat(steady.state()).isNotNull();
    }

    /** Counted by the server in one call: a walk of the tree would race with the sweep deleting under it. */
    private static int countNodes(CuratorFramework zk, String path) throws Exception {
        return 1 + zk.getZookeeperClient().getZooKeeper().getAllChildrenNumber(path);
    }
}
