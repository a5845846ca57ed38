package io.drover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.DroverException;
import io.drover.model.DroverPaths;
import io.drover.model.FenceLostException;
import io.drover.model.TaskSpec;
import io.drover.testkit.ZooKeeperServerExtension;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client's submissions check the layout marker: an upgrade stops them, a marker rewritten by hand
 * does not.
 */
class LayoutFenceTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private final CuratorFramework zk = ZK.newClient();
    private final DroverPaths paths = new DroverPaths(ZK.uniqueCluster());

    private boolean submit(TaskStore store, String id) {
        return store.submit(TaskSpec.builder("parked").id(id).build()).join().created();
    }

    @Test
    void aMarkerRewrittenByHand_orWithGarbage_costsOneReread_andSubmissionsGoOn() throws Exception {
        Layout.ensure(zk, paths);
        TaskStore store = new TaskStore(zk, paths, StoreOptions.defaults());
        assertThat(submit(store, "t1")).isTrue();

        byte[] marker = zk.getData().forPath(paths.layoutMarker());
        zk.setData().forPath(paths.layoutMarker(), marker); // same words, a new version
        assertThat(submit(store, "t2")).isTrue();

        zk.setData().forPath(paths.layoutMarker(), "garbage".getBytes(StandardCharsets.UTF_8));
        assertThat(submit(store, "t3")).isTrue();
        assertThat(submit(store, "t4")).as("the check moved to the garbage's version").isTrue();

        zk.delete().forPath(paths.layoutMarker()); // fsck quarantined the garbage
        assertThat(submit(store, "t5")).isTrue();
        for (String id : new String[] {"t1", "t2", "t3", "t4", "t5"}) {
            assertThat(zk.checkExists().forPath(paths.status(id))).as(id).isNotNull();
        }
    }

    @Test
    void aMarkerThatNamesAnotherLayout_stopsSubmissions_andTheyWriteNothing() throws Exception {
        Layout.ensure(zk, paths);
        TaskStore store = new TaskStore(zk, paths, StoreOptions.defaults());
        zk.setData()
                .forPath(
                        paths.layoutMarker(),
                        "{\"layoutVersion\":1,\"buckets\":64}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> submit(store, "t1"))
                .hasCauseInstanceOf(FenceLostException.class)
                .hasMessageContaining("the layout of " + paths.root() + " changed");
        assertThat(zk.checkExists().forPath(paths.status("t1"))).isNull();
        assertThat(zk.checkExists().forPath(paths.task("t1"))).isNull();
        assertThat(zk.getChildren().forPath(paths.pending() + "/" + paths.bucket("t1"))).isEmpty();
    }

    @Test
    void anUpgradeRefusedAMomentAgo_failsASubmission_retryably_andTheNextGoesThrough()
            throws Exception {
        Layout.ensure(zk, paths);
        TaskStore store = new TaskStore(zk, paths, StoreOptions.defaults());
        zk.setData()
                .forPath(
                        paths.layoutMarker(),
                        "{\"layoutVersion\":2,\"buckets\":256,\"upgradingTo\":3}"
                                .getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> submit(store, "t1"))
                .hasCauseInstanceOf(DroverException.class)
                .hasMessageContaining("is being moved to another layout")
                .satisfies(
                        e -> assertThat(((DroverException) e.getCause()).isRetryable()).isTrue());

        zk.setData()
                .forPath(
                        paths.layoutMarker(),
                        "{\"layoutVersion\":2,\"buckets\":256}".getBytes(StandardCharsets.UTF_8));
        assertThat(submit(store, "t1")).isTrue();
    }
}
