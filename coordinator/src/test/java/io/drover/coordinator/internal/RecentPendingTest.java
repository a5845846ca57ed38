package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.model.DroverPaths;
import io.drover.testkit.ZooKeeperServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a coordinator remembers of recent pending entries, for a new leader to read first. */
class RecentPendingTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    @Test
    void entriesCreatedAndNotGone_newestFirst_bucketsLeftOut_atMostCapacity() throws Exception {
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        CuratorFramework zk = ZK.newClient();
        String p = paths.pending();
        zk.create().creatingParentsIfNeeded().forPath(p + "/00");
        try (RecentPending recent = new RecentPending(ZK.newClient(), paths)) {
            recent.start();
            int[] canaries = {0};
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> canary(zk, recent, p + "/00/canary-" + ++canaries[0]));
            for (int i = 1; i <= canaries[0]; i++) {
                zk.delete().forPath(p + "/00/canary-" + i); // forgotten as they go
            }

            zk.create().forPath(p + "/01"); // a bucket, not an entry
            zk.create().forPath(p + "/00/a");
            zk.create().forPath(p + "/01/b");
            zk.create().forPath(p + "/00/c");
            zk.delete().forPath(p + "/01/b"); // assigned meanwhile

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () ->
                                    assertThat(recent.newestFirst())
                                            .containsExactly(p + "/00/c", p + "/00/a"));

            int many = RecentPending.CAPACITY + 5;
            CountDownLatch created = new CountDownLatch(many);
            for (int i = 0; i < many; i++) {
                zk.create()
                        .inBackground((c, e) -> created.countDown())
                        .forPath(String.format("%s/01/n%05d", p, i));
            }
            assertThat(created.await(60, TimeUnit.SECONDS)).isTrue();
            String newest = String.format("%s/01/n%05d", p, many - 1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> recent.newestFirst().get(0).equals(newest));
            List<String> kept = recent.newestFirst();
            assertThat(kept).hasSize(RecentPending.CAPACITY).doesNotContain(p + "/00/a");
        }
    }

    @Test
    void onALeadersSession_whichWatchesPendingAlready_itCostsTheServerNoMoreWatches()
            throws Exception {
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        CuratorFramework zk = ZK.newClient();
        zk.create().creatingParentsIfNeeded().forPath(paths.pending() + "/00");
        CuratorFramework session = ZK.newClient();
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (PersistentWatcher leaders = new PersistentWatcher(session, paths.pending(), true)) {
            leaders.getListenable().addListener(e -> seen.add(String.valueOf(e.getPath())));
            leaders.start();
            int[] n = {0};
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> {
                                String canary = paths.pending() + "/00/leaders-" + ++n[0];
                                zk.create().forPath(canary);
                                return seen.stream().anyMatch(x -> x.contains("/leaders-"));
                            });
            long before = ZK.watchCount();

            try (RecentPending recent = new RecentPending(session, paths)) {
                recent.start();
                int[] canaries = {0};
                await().atMost(Duration.ofSeconds(10))
                        .until(
                                () ->
                                        canary(
                                                zk,
                                                recent,
                                                paths.pending() + "/00/canary-" + ++canaries[0]));

                assertThat(ZK.watchCount()).isEqualTo(before);
            }
        }
    }

    /** Whether the watch is set: creates one more node, and tells whether any is remembered. */
    private static boolean canary(CuratorFramework zk, RecentPending recent, String path)
            throws Exception {
        zk.create().forPath(path);
        return recent.newestFirst().stream().anyMatch(n -> n.contains("/canary-"));
    }
}
