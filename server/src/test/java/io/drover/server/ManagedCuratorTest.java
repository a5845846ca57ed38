package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.server.internal.ManagedCurator;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ManagedCuratorTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    @Test
    void jettyStopAndShutdownHookRacing_closeTheComponentOnce_beforeTheSession() throws Exception {
        CuratorFramework client =
                org.apache.curator.framework.CuratorFrameworkFactory.newClient(
                        ZK.connectString(), new org.apache.curator.retry.RetryOneTime(100));
        ManagedCurator managed = new ManagedCurator(client, ZK.connectString(), 10_000);
        managed.start();
        List<String> closes = new CopyOnWriteArrayList<>();
        managed.closeBefore(() -> closes.add("component, session " + client.getState()));

        CompletableFuture<Void> jetty = CompletableFuture.runAsync(managed::stop);
        CompletableFuture<Void> hook = CompletableFuture.runAsync(managed::stopOnce);
        CompletableFuture.allOf(jetty, hook).get();

        assertThat(closes).containsExactly("component, session STARTED");
        assertThat(client.getState()).isEqualTo(CuratorFrameworkState.STOPPED);
    }
}
