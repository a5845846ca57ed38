package io.drover.protocol.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.Versioned;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BatchedReaderTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private static final int BIG = 900 * 1024;

    /** A client as a user might build it: ZooKeeper's default 1 MiB reply limit. */
    private static CuratorFramework defaultClient() throws InterruptedException {
        CuratorFramework c =
                ZK.track(
                        CuratorFrameworkFactory.newClient(
                                ZK.connectString(), 4_000, 4_000, new RetryOneTime(100)));
        c.start();
        assertThat(c.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        return c;
    }

    @Test
    void twoLargeNodes_defaultPacketLimit_readOneByOne_connectionNeverDrops() throws Exception {
        readLargeNodes(defaultClient());
    }

    @Test
    void twoLargeNodes_droverPacketLimit_readInOneBatch_connectionNeverDrops() throws Exception {
        readLargeNodes(ZK.newClient());
    }

    private void readLargeNodes(CuratorFramework client) throws Exception {
        String root = "/" + ZK.uniqueCluster();
        byte[] big = new byte[BIG];
        Arrays.fill(big, (byte) 'x');
        client.create().creatingParentsIfNeeded().forPath(root + "/a", big);
        client.create().forPath(root + "/b", big);
        client.create().forPath(root + "/c", "small".getBytes());
        AtomicInteger suspensions = new AtomicInteger();
        client.getConnectionStateListenable()
                .addListener(
                        (c, s) -> {
                            if (s == ConnectionState.SUSPENDED || s == ConnectionState.LOST) {
                                suspensions.incrementAndGet();
                            }
                        });
        BatchedReader reader = new BatchedReader(client, 100);

        List<CompletableFuture<Optional<Versioned<byte[]>>>> reads = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String n : List.of("a", "b", "c", "missing")) {
                reads.add(reader.read(root + "/" + n));
            }
        }

        for (int i = 0; i < reads.size(); i++) {
            Optional<Versioned<byte[]>> value = reads.get(i).get(20, TimeUnit.SECONDS);
            switch (i % 4) {
                case 0, 1 ->
                        assertThat(value).get().extracting(v -> v.value().length).isEqualTo(BIG);
                case 2 ->
                        assertThat(value)
                                .get()
                                .extracting(v -> new String(v.value()))
                                .isEqualTo("small");
                default -> assertThat(value).isEmpty();
            }
        }
        assertThat(suspensions).hasValue(0);
    }
}
