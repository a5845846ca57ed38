package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.client.DroverClient;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.protocol.Fsck;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * A cluster laid out before layout 2 (64 buckets) keeps working under this Drover, in its own
 * buckets: upgrading the binaries does not move a task.
 */
class Layout1ClusterIT extends ClusterIT {
    @Test
    void aLayout1Cluster_runsCancelsAndRetainsTasks_inIts64Buckets_andFsckFindsNothingAmiss()
            throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverPaths layout1 = cluster.layOutInLayout1(zk);
        assertThat(DroverJson.mapper().readTree(zk.getData().forPath(layout1.layoutMarker())))
                .isEqualTo(DroverJson.mapper().readTree("{\"layoutVersion\":1,\"buckets\":64}"));

        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        cluster.worker("w1", 2, Map.of("echo", ctx -> Map.of("ok", true)), null);
        DroverClient client = cluster.client();
        // "t1" is in bucket 37 of layout 1 and 77 of layout 2: where it lands tells them apart
        client.submit(TaskSpec.builder("echo").id("t1").build()).join();
        client.submit(TaskSpec.builder("echo").id("after-t1").dependsOn("t1").build()).join();
        client.submit(TaskSpec.builder("nobody-serves").id("parked").build()).join();
        client.cancel("parked").get(30, TimeUnit.SECONDS);

        assertThat(client.await("t1", Duration.ofSeconds(30)).state())
                .isEqualTo(TaskState.SUCCEEDED);
        assertThat(client.await("after-t1", Duration.ofSeconds(30)).state())
                .isEqualTo(TaskState.SUCCEEDED);
        assertThat(client.await("parked", Duration.ofSeconds(30)).state())
                .isEqualTo(TaskState.CANCELLED);
        assertThat(layout1.status("t1")).isEqualTo(layout1.statuses() + "/37/t1");
        assertThat(zk.checkExists().forPath(layout1.status("t1"))).isNotNull();
        assertThat(zk.checkExists().forPath(layout1.statuses() + "/77")).isNull();
        assertThat(zk.getChildren().forPath(layout1.done() + "/37"))
                .anyMatch(n -> n.endsWith("-t1"));
        assertThat(new Fsck(zk, new DroverPaths(cluster.cluster())).scan()).isEmpty();
        zk.close();
    }
}
