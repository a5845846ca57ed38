package io.drover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.model.DroverException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.FenceLostException;
import io.drover.model.TaskSpec;
import io.drover.protocol.Fsck;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A layout-1 cluster moves to layout 2 in place, every node keeping its data and version. */
class LayoutUpgradeTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private final CuratorFramework zk = ZK.newClient();
    private final String cluster = ZK.uniqueCluster();
    private final DroverPaths layout1 = new DroverPaths(cluster);
    private final List<String> progress = new ArrayList<>();

    private void layOutInLayout1() {
        layout1.adoptLayout(1);
        Layout.ensure(zk, layout1);
    }

    /** Every node under the bucketed folders, by its path in layout 2, with data and version. */
    private Map<String, String> bucketedNodes(DroverPaths paths) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String root :
                List.of(
                        paths.tasks(),
                        paths.statuses(),
                        paths.pending(),
                        paths.waiting(),
                        paths.done())) {
            for (String folder : paths.buckets(root)) {
                if (zk.checkExists().forPath(folder) == null) {
                    continue;
                }
                for (String name : zk.getChildren().forPath(folder)) {
                    Stat stat = new Stat();
                    byte[] data = zk.getData().storingStatIn(stat).forPath(folder + "/" + name);
                    out.put(
                            root.substring(root.lastIndexOf('/') + 1) + "/" + name,
                            new String(data) + "@v" + stat.getVersion());
                }
            }
        }
        return out;
    }

    @Test
    void aLayout1ClusterWithPendingWaitingAndRewrittenTasks_movesToLayout2_keepingDataAndVersions()
            throws Exception {
        layOutInLayout1();
        TaskStore store = new TaskStore(zk, layout1, StoreOptions.defaults());
        for (int i = 0; i < 200; i++) {
            store.submit(TaskSpec.builder("parked").id("t" + i).build()).join();
        }
        // a WAITING task whose status was rewritten past what one multi carries, and that moves
        String rewritten = "w0";
        for (int i = 1; layout1.bucket(rewritten).equals(DroverPaths.bucketOf(rewritten)); i++) {
            rewritten = "w" + i;
        }
        store.submit(TaskSpec.builder("parked").id(rewritten).dependsOn("t1").build()).join();
        byte[] status = zk.getData().forPath(layout1.status(rewritten));
        int sets =
                NodeMoves.SETS_PER_MULTI * 21 + 20; // a task's progress, set every second for hours
        CountDownLatch written = new CountDownLatch(sets);
        for (int set = 0; set < sets; set++) {
            zk.setData()
                    .inBackground((c, e) -> written.countDown())
                    .forPath(layout1.status(rewritten), status);
        }
        assertThat(written.await(60, TimeUnit.SECONDS)).isTrue();
        // a node hand-written where a task will move to: not the task's, so it goes to quarantine
        zk.create()
                .creatingParentsIfNeeded()
                .forPath(layout1.statuses() + "/77/t1", "stray".getBytes());
        zk.create().forPath(layout1.done("t3", 1_700_000_000_000L));
        Map<String, String> before = bucketedNodes(layout1);

        LayoutUpgrade.Report report = LayoutUpgrade.run(zk, cluster, progress::add);

        DroverPaths after = new DroverPaths(cluster);
        Layout.ensure(zk, after);
        assertThat(after.layoutVersion()).isEqualTo(2);
        assertThat(DroverJson.mapper().readTree(zk.getData().forPath(after.layoutMarker())))
                .isEqualTo(DroverJson.mapper().readTree("{\"layoutVersion\":2,\"buckets\":256}"));
        assertThat(bucketedNodes(after)).as("same nodes, data and versions").isEqualTo(before);
        assertThat(before.get("status/" + rewritten)).endsWith("@v" + sets);
        assertThat(zk.checkExists().forPath(after.status(rewritten)))
                .isNotNull()
                .extracting(Stat::getVersion)
                .isEqualTo(sets);
        // "t1" is in bucket 37 of layout 1 and 77 of layout 2
        assertThat(after.status("t1")).isEqualTo(after.statuses() + "/77/t1");
        assertThat(zk.checkExists().forPath(layout1.statuses() + "/37/t1")).isNull();
        assertThat(report.movedTotal() + report.stayed()).isEqualTo(before.size());
        assertThat(report.movedTotal()).isGreaterThan(before.size() / 2);
        assertThat(report.done()).isTrue();
        assertThat(report.stuck()).isEmpty();
        assertThat(report.quarantined()).containsExactly(after.statuses() + "/77/t1");
        String quarantine = after.root() + "/quarantine";
        String run = zk.getChildren().forPath(quarantine).get(0);
        assertThat(zk.getData().forPath(quarantine + "/" + run + "/status%2F77%2Ft1"))
                .asString()
                .isEqualTo("stray");
        assertThat(new Fsck(zk, new DroverPaths(cluster)).scan()).isEmpty();
        assertThat(progress).last().asString().contains("is in layout 2");

        assertThatThrownBy(() -> store.submit(TaskSpec.builder("parked").id("late").build()).join())
                .as("a client left running through the upgrade")
                .hasCauseInstanceOf(FenceLostException.class)
                .hasMessageContaining("changed since this client joined it");
        assertThat(zk.checkExists().forPath(layout1.status("late"))).isNull();
        assertThat(zk.checkExists().forPath(after.status("late"))).isNull();
        assertThat(
                        new TaskStore(zk, after, StoreOptions.defaults())
                                .submit(TaskSpec.builder("parked").id("late").build())
                                .join()
                                .created())
                .isTrue();

        assertThat(LayoutUpgrade.run(zk, cluster, progress::add).movedTotal())
                .as("a second run has nothing to do")
                .isZero();
    }

    @Test
    void aRegisteredWorker_stopsTheUpgrade_beforeAnythingMoves_andTheMarkIsTakenBack()
            throws Exception {
        layOutInLayout1();
        new TaskStore(zk, layout1, StoreOptions.defaults())
                .submit(TaskSpec.builder("parked").id("t1").build())
                .join();
        byte[] marker = zk.getData().forPath(layout1.layoutMarker());
        zk.create().withMode(CreateMode.EPHEMERAL).forPath(layout1.worker("w1"));

        assertThatThrownBy(() -> LayoutUpgrade.run(zk, cluster, progress::add))
                .isInstanceOf(DroverException.class)
                .hasMessageContaining("stop the cluster's coordinators and workers first")
                .hasMessageContaining("worker w1")
                .satisfies(e -> assertThat(((DroverException) e).isRetryable()).isTrue());
        assertThat(zk.getData().forPath(layout1.layoutMarker())).isEqualTo(marker);
        assertThat(zk.checkExists().forPath(layout1.status("t1"))).isNotNull();
        assertThat(zk.checkExists().forPath(layout1.statuses() + "/77")).isNull();
    }

    @Test
    void anInterruptedUpgrade_keepsProcessesOut_andTheNextRunFinishesItsHalfCopiedNode()
            throws Exception {
        layOutInLayout1();
        new TaskStore(zk, layout1, StoreOptions.defaults())
                .submit(TaskSpec.builder("parked").id("t1").build())
                .join();
        byte[] status = zk.getData().forPath(layout1.status("t1"));
        for (int set = 0; set < 3; set++) {
            zk.setData().forPath(layout1.status("t1"), status);
        }
        // what a run stopped mid-way leaves: the mark, the new buckets, a copy not yet set in full
        ObjectNode marker =
                (ObjectNode)
                        DroverJson.mapper().readTree(zk.getData().forPath(layout1.layoutMarker()));
        marker.put("upgradingTo", 2);
        zk.setData().forPath(layout1.layoutMarker(), DroverJson.encode(marker));
        zk.create().creatingParentsIfNeeded().forPath(layout1.statuses() + "/77/t1");
        zk.setData().forPath(layout1.statuses() + "/77/t1", new byte[0]);

        assertThatThrownBy(() -> Layout.ensure(zk, new DroverPaths(cluster)))
                .isInstanceOf(DroverException.class)
                .hasMessageContaining("is being moved to layout 2 by drover layout upgrade")
                .satisfies(e -> assertThat(((DroverException) e).isRetryable()).isTrue());

        LayoutUpgrade.Report report = LayoutUpgrade.run(zk, cluster, progress::add);

        assertThat(progress).first().asString().contains("carrying on");
        assertThat(report.stuck()).isEmpty();
        assertThat(report.quarantined()).isEmpty();
        Stat stat = new Stat();
        assertThat(zk.getData().storingStatIn(stat).forPath(layout1.statuses() + "/77/t1"))
                .isEqualTo(status);
        assertThat(stat.getVersion()).isEqualTo(3);
        assertThat(zk.checkExists().forPath(layout1.status("t1"))).isNull();
        DroverPaths joiner = new DroverPaths(cluster);
        Layout.ensure(zk, joiner);
        assertThat(joiner.layoutVersion()).isEqualTo(2);
    }
}
