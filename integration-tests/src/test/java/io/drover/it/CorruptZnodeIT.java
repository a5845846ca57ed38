package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.client.DroverClient;
import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

/**
 * Znodes written by hand with garbage in them: every process skips them with a clear log line and
 * carries on.
 */
class CorruptZnodeIT extends ClusterIT {

    @Test
    void garbageInEveryWatchedFolder_clusterKeepsRunningTasks() throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverClient client = cluster.client(); // creates the layout
        DroverPaths paths = client.store().paths();
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
        zk.create().forPath(paths.pending() + "/00/0999999-0000000000000-bogus", garbage);
        zk.create().withMode(CreateMode.EPHEMERAL).forPath(paths.worker("bogus-worker"), garbage);
        zk.create().forPath(paths.type("bogus-type"), garbage);
        zk.create()
                .creatingParentsIfNeeded()
                .forPath(paths.assignment("w1", "bogus-assignment"), garbage);
        zk.create().forPath(paths.cancel("no-such-task"));

        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        cluster.worker("w1", 2, Map.of("echo", ctx -> ctx.payload()), null);
        client.submit(TaskSpec.builder("echo").id("fine").payloadJson("[1]").build()).join();
        TaskStatus done = client.await("fine", Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.result().toString()).isEqualTo("[1]");
        // nothing hand-written was deleted: an operator inspects it
        assertThat(zk.checkExists().forPath(paths.pending() + "/00/0999999-0000000000000-bogus"))
                .isNotNull();
    }

    @Test
    void corruptStatus_readsAsAClearErrorNamingThePath() throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("nobody").id("broken").build()).join();
        zk.setData()
                .forPath(
                        client.store().paths().status("broken"),
                        "garbage".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> client.status("broken").join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(CorruptZnodeException.class)
                .hasMessageContaining(client.store().paths().status("broken"));
        assertThatThrownBy(() -> client.await("broken", Duration.ofSeconds(10)))
                .isInstanceOf(CorruptZnodeException.class);
    }
}
