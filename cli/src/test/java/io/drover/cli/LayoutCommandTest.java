package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.store.Layout;
import io.drover.store.StoreOptions;
import io.drover.store.TaskStore;
import io.drover.testkit.ZooKeeperServerExtension;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code drover layout show} and {@code drover layout upgrade} on a layout-1 cluster. */
class LayoutCommandTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    @Test
    void aLayout1Cluster_isShown_refusedWhileAWorkerIsUp_thenUpgraded() throws Exception {
        CuratorFramework zk = ZK.newClient();
        String cluster = ZK.uniqueCluster();
        DroverPaths layout1 = layout1ClusterWithPendingTasks(zk, cluster, 100);

        JsonNode shown = show(cluster);
        assertThat(shown.get("layoutVersion").asInt()).isEqualTo(1);
        assertThat(shown.get("buckets").asInt()).isEqualTo(64);
        assertThat(shown.get("fullestPendingBucket").asInt()).isPositive();

        zk.create().withMode(CreateMode.EPHEMERAL).forPath(layout1.worker("w1"));
        CliTest.Result refused =
                drover("layout", "upgrade", "--zk", ZK.connectString(), "--cluster", cluster);
        assertThat(refused.code()).isEqualTo(3);
        assertThat(refused.err())
                .contains("stop the cluster's coordinators and workers first: worker w1")
                .doesNotContain("Exception");
        zk.delete().forPath(layout1.worker("w1"));

        CliTest.Result upgraded =
                drover("layout", "upgrade", "--zk", ZK.connectString(), "--cluster", cluster);
        assertThat(upgraded.code()).as(upgraded.err()).isZero();
        assertThat(upgraded.out()).contains("moved ").contains("is in layout 2");
        JsonNode after = show(cluster);
        assertThat(after.get("layoutVersion").asInt()).isEqualTo(2);
        assertThat(after.get("buckets").asInt()).isEqualTo(256);
        assertThat(after.get("marker").get("layoutVersion").asInt()).isEqualTo(2);

        CliTest.Result again =
                drover(
                        "layout",
                        "upgrade",
                        "--zk",
                        ZK.connectString(),
                        "--cluster",
                        cluster,
                        "-o",
                        "json");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(DroverJson.parsePayload(again.out()).get("fromLayout").asInt()).isEqualTo(2);
        zk.close();
    }

    @Test
    void theUpgradeBench_movesEveryNodeOfItsClusters_andLeavesNothingBehind() throws Exception {
        CliTest.Result r =
                drover(
                        "bench",
                        "upgrade",
                        "--zk",
                        ZK.connectString(),
                        "--tasks",
                        "300",
                        "--reps",
                        "2",
                        "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode report = DroverJson.parsePayload(r.out());
        assertThat(report.get("nodesMoved").asLong() + report.get("nodesStayed").asLong())
                .as("spec, status and pending entry of each task")
                .isEqualTo(900);
        assertThat(report.get("upgradeMs").get("runs")).hasSize(2);
        CuratorFramework zk = ZK.newClient();
        if (zk.checkExists().forPath("/drover") != null) {
            assertThat(zk.getChildren().forPath("/drover")).noneMatch(c -> c.startsWith("bench-"));
        }
        zk.close();

        CliTest.Result bad = drover("bench", "upgrade", "--tasks", "0");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--tasks must be between 1 and 2000000");
    }

    /**
     * Lays {@code cluster} out as a Drover before layout 2 did and submits {@code tasks} tasks of a
     * type nobody runs; returns its paths in layout 1.
     */
    static DroverPaths layout1ClusterWithPendingTasks(
            CuratorFramework zk, String cluster, int tasks) {
        DroverPaths layout1 = new DroverPaths(cluster);
        layout1.adoptLayout(1);
        Layout.ensure(zk, layout1);
        TaskStore store = new TaskStore(zk, layout1, StoreOptions.defaults());
        for (int i = 0; i < tasks; i++) {
            store.submit(TaskSpec.builder("parked").id("t" + i).build()).join();
        }
        return layout1;
    }

    private static JsonNode show(String cluster) {
        CliTest.Result shown =
                drover("layout", "show", "--zk", ZK.connectString(), "--cluster", cluster);
        assertThat(shown.code()).as(shown.err()).isZero();
        return DroverJson.parsePayload(shown.out());
    }
}
