package io.drover.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.DroverPaths;
import io.drover.model.ItemLimitException;
import io.drover.model.ItemSpec;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The item cap holds under concurrent puts: counting and creating are one fenced step. */
class ItemCapTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    @Test
    void twentyConcurrentPuts_capOfFive_exactlyFiveCreated_restRefusedWithTheLimit()
            throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        Layout.ensure(zk, paths);
        int threads = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> puts = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                ItemStore store =
                        new ItemStore(
                                ZK.newClient(),
                                paths,
                                5); // a session each, as separate API servers would
                String id = "item-" + i;
                puts.add(
                        CompletableFuture.supplyAsync(
                                () -> {
                                    try {
                                        start.await();
                                        store.put(ItemSpec.of(id, 1));
                                        return true;
                                    } catch (ItemLimitException full) {
                                        return false;
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                        throw new IllegalStateException(e);
                                    }
                                },
                                pool));
            }
            start.countDown();
            long created = 0;
            for (CompletableFuture<Boolean> p : puts) {
                created += p.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }

            assertThat(created).isEqualTo(5);
            assertThat(zk.getChildren().forPath(paths.items())).hasSize(5);
        } finally {
            pool.shutdownNow();
        }
    }
}
