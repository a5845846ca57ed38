package io.drover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.DroverException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.testkit.ZooKeeperServerExtension;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The layout marker decides which buckets every process of a cluster uses. */
class LayoutTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private final CuratorFramework zk = ZK.newClient();

    @Test
    void aNewCluster_isLaidOutInLayout2_with256Buckets_andAJoinerAdoptsIt() throws Exception {
        String cluster = ZK.uniqueCluster();
        Layout.ensure(zk, new DroverPaths(cluster));

        DroverPaths joiner = new DroverPaths(cluster);
        Layout.ensure(zk, joiner);
        assertThat(DroverJson.mapper().readTree(zk.getData().forPath(joiner.layoutMarker())))
                .isEqualTo(DroverJson.mapper().readTree("{\"layoutVersion\":2,\"buckets\":256}"));
        assertThat(joiner.layoutVersion()).isEqualTo(2);
        assertThat(zk.checkExists().forPath(joiner.pending() + "/ff")).isNotNull();
    }

    @Test
    void aLayout1Cluster_isJoinedInLayout1_evenWhenItsMarkerIsUnreadable() throws Exception {
        String cluster = ZK.uniqueCluster();
        DroverPaths creator = new DroverPaths(cluster);
        creator.adoptLayout(1);
        Layout.ensure(zk, creator);
        assertThat(zk.checkExists().forPath(creator.pending() + "/3f")).isNotNull();
        assertThat(zk.checkExists().forPath(creator.pending() + "/40")).isNull();

        DroverPaths joiner = new DroverPaths(cluster);
        Layout.ensure(zk, joiner);
        assertThat(joiner.layoutVersion()).isEqualTo(1);

        zk.setData().forPath(creator.layoutMarker(), "garbage".getBytes(StandardCharsets.UTF_8));
        DroverPaths afterDamage = new DroverPaths(cluster);
        Layout.ensure(zk, afterDamage);
        assertThat(afterDamage.layoutVersion()).as("read off the skeleton").isEqualTo(1);
        assertThat(zk.checkExists().forPath(creator.pending() + "/40"))
                .as("no layout-2 buckets added beside layout 1's")
                .isNull();
    }

    @Test
    void aMarkerOfALayoutThisDroverDoesNotKnow_stopsTheProcess_sayingWhichItKnows()
            throws Exception {
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        zk.create()
                .creatingParentsIfNeeded()
                .forPath(
                        paths.layoutMarker(),
                        "{\"layoutVersion\":3,\"buckets\":1024}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> Layout.ensure(zk, paths))
                .isInstanceOf(DroverException.class)
                .hasMessageContaining("uses layout")
                .hasMessageContaining(
                        "this Drover understands layoutVersion 1 with 64 buckets and 2 with 256")
                .satisfies(e -> assertThat(((DroverException) e).isRetryable()).isFalse());
        assertThat(zk.checkExists().forPath(paths.tasks())).isNull();
    }

    @Test
    void adoptingTheLayoutOfAClusterThatIsNotThere_createsNothing() throws Exception {
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        Layout.adopt(zk, paths);
        assertThat(paths.layoutVersion()).isEqualTo(2);
        assertThat(zk.checkExists().forPath(paths.root())).isNull();
    }
}
