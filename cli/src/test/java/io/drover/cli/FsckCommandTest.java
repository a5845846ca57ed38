package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.protocol.Fsck;
import io.drover.store.Layout;
import io.drover.testkit.ZooKeeperServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code drover fsck}: lists what does not validate, and repairs only what is still as it was
 * scanned.
 */
class FsckCommandTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private static final byte[] GARBAGE = "{not json".getBytes(StandardCharsets.UTF_8);

    @Test
    void listsBadNodes_quarantineKeepsTheirData_epochNeverTouched_cleanAfterwards()
            throws Exception {
        CuratorFramework zk = ZK.newClient();
        String cluster = ZK.uniqueCluster();
        DroverPaths paths = new DroverPaths(cluster);
        Layout.ensure(zk, paths);
        zk.create().forPath(paths.pending() + "/00/bogus", GARBAGE);
        zk.create().creatingParentsIfNeeded().forPath(paths.root() + "/mystery/a", GARBAGE);
        zk.create().creatingParentsIfNeeded().forPath(paths.leaderEpoch(), GARBAGE);
        zk.create().forPath(paths.broadcast("b1"), GARBAGE);

        CliTest.Result listed =
                drover("fsck", "--zk", ZK.connectString(), "--cluster", cluster, "-o", "json");
        assertThat(listed.code()).as(listed.err()).isEqualTo(1);
        JsonNode findings = DroverJson.parsePayload(listed.out()).get("findings");
        assertThat(findings.findValuesAsText("path"))
                .containsExactlyInAnyOrder(
                        paths.pending() + "/00/bogus",
                        paths.root() + "/mystery",
                        paths.leaderEpoch(),
                        paths.broadcast("b1"));

        CliTest.Result repaired =
                drover("fsck", "--zk", ZK.connectString(), "--cluster", cluster, "--quarantine");
        assertThat(repaired.out()).contains("[quarantined]").contains("leader/epoch");
        assertThat(zk.checkExists().forPath(paths.pending() + "/00/bogus")).isNull();
        assertThat(zk.checkExists().forPath(paths.root() + "/mystery")).isNull();
        assertThat(zk.checkExists().forPath(paths.leaderEpoch()))
                .as("the epoch's version is the fence: never deleted")
                .isNotNull();
        String run =
                paths.root()
                        + "/quarantine/"
                        + zk.getChildren().forPath(paths.root() + "/quarantine").get(0);
        assertThat(zk.getData().forPath(run + "/pending%2F00%2Fbogus")).isEqualTo(GARBAGE);
    }

    @Test
    void aWaitingEntryWhoseTaskIsGone_isAFinding() throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        Layout.ensure(zk, paths);
        zk.create().forPath(paths.waiting("left-behind"));

        List<Fsck.Finding> findings = new Fsck(zk, paths).scan();

        assertThat(findings)
                .extracting(Fsck.Finding::path, Fsck.Finding::problem)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                paths.waiting("left-behind"), "task left-behind does not exist"));
    }

    @Test
    void nodeChangedSinceTheScan_isLeftAlone() throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        Layout.ensure(zk, paths);
        zk.create().forPath(paths.pending() + "/01/bogus", GARBAGE);
        zk.create().forPath(paths.pending() + "/02/other", GARBAGE);
        Fsck fsck = new Fsck(zk, paths);
        List<Fsck.Finding> findings = fsck.scan();

        zk.setData()
                .forPath(
                        paths.pending() + "/01/bogus",
                        "{\"still\":\"bad\"}".getBytes(StandardCharsets.UTF_8));
        Fsck.Repair repair = fsck.repair(findings, Fsck.Mode.DELETE);

        assertThat(repair.skipped()).containsExactly(paths.pending() + "/01/bogus");
        assertThat(repair.done()).containsExactly(paths.pending() + "/02/other");
        assertThat(zk.checkExists().forPath(paths.pending() + "/01/bogus")).isNotNull();
    }

    @Test
    void badOutputFormat_isAUsageError() {
        CliTest.Result r = drover("fsck", "--zk", ZK.connectString(), "-o", "yaml");
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).startsWith("drover: --output must be table or json");
    }
}
