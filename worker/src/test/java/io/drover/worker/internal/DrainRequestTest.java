package io.drover.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.model.DroverPaths;
import io.drover.model.WorkerState;
import io.drover.store.Layout;
import io.drover.testkit.ZooKeeperServerExtension;
import io.drover.worker.Worker;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Operators ask a worker to drain with a {@code drains/<id>} node (HTTP API, CLI); the worker owns
 * that node's lifecycle.
 */
class DrainRequestTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private static Worker worker(String cluster, String id) {
        return Worker.builder()
                .connectString(ZK.connectString())
                .cluster(cluster)
                .id(id)
                .capacity(1)
                .handler("noop", ctx -> null)
                .build();
    }

    @Test
    void requestLeftFromAnEarlierRun_isCleared_aFreshWorkerTakesWork() throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverPaths paths = new DroverPaths("drain-stale");
        Layout.ensure(zk, paths);
        zk.create().forPath(paths.drain("w1"));

        Worker w = worker("drain-stale", "w1");
        w.start();
        assertThat(zk.checkExists().forPath(paths.drain("w1"))).isNull();
        assertThat(w.state()).isEqualTo(WorkerState.ACTIVE);
        w.close();
    }

    @Test
    void request_makesAnIdleWorkerDrain_andLeave_removingItsRequest() throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverPaths paths = new DroverPaths("drain-live");
        Worker w = worker("drain-live", "w1");
        w.start();

        zk.create().forPath(paths.drain("w1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> w.state() == WorkerState.DRAINING);
        assertThat(w.drain())
                .as("nothing runs, so drained at once")
                .succeedsWithin(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> zk.checkExists().forPath(paths.worker("w1")) == null); // it left
        await().atMost(Duration.ofSeconds(10))
                .until(() -> zk.checkExists().forPath(paths.drain("w1")) == null);
        w.close(); // already closed by leaving: idempotent
    }
}
