package io.drover.protocol.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.testkit.TcpProxy;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a watched folder reports across a lost connection, when ZooKeeper replays no events. */
class WatchedFolderTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    /** Records every callback, in order, also in a queue to wait on. */
    private static class Recording implements FolderListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final BlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
        final CountDownLatch initialized = new CountDownLatch(1);

        @Override
        public void upserted(String path, byte[] data, int version) {
            events.add("upserted " + path);
            arrivals.add("upserted " + path);
        }

        @Override
        public void removed(String path) {
            events.add("removed " + path);
            arrivals.add("removed " + path);
        }

        @Override
        public void initialized() {
            initialized.countDown();
        }

        @Override
        public void relisted(Set<String> present) {
            events.add("relisted " + new java.util.TreeSet<>(present));
            arrivals.add("relisted " + new java.util.TreeSet<>(present));
        }
    }

    /**
     * Starts a folder holding {@code before}; while its connection is cut, {@code flash} comes and
     * goes, {@code stays} comes and {@code before} goes; then waits for {@code expected} (with the
     * root in front) after the reconnect and returns everything the listener heard.
     */
    private static List<String> acrossAReconnect(Tracking tracking, String... expected)
            throws Exception {
        String root = "/" + ZK.uniqueCluster() + "/queue";
        CuratorFramework writer = ZK.newClient();
        writer.create().creatingParentsIfNeeded().forPath(root + "/before");
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (TcpProxy proxy = TcpProxy.forConnectString(ZK.connectString())) {
            CuratorFramework client = ZK.newClient(proxy.connectString(), 4_000);
            CountDownLatch suspended = new CountDownLatch(1);
            client.getConnectionStateListenable()
                    .addListener(
                            (c, s) -> {
                                if (s == ConnectionState.SUSPENDED) {
                                    suspended.countDown();
                                }
                            });
            Recording listener = new Recording();
            WatchedFolder folder =
                    new WatchedFolder(client, root, 1, executor, listener, tracking, null);
            assertThat(folder.whenInitialized()).isNotDone();
            folder.start();
            folder.whenInitialized().get(10, TimeUnit.SECONDS);
            assertThat(listener.initialized.getCount()).as("the listener heard it first").isZero();
            assertThat(listener.events).contains("upserted " + root + "/before");

            proxy.partition();
            assertThat(suspended.await(20, TimeUnit.SECONDS))
                    .as("the client noticed the partition")
                    .isTrue();
            writer.create()
                    .forPath(root + "/flash"); // carried out and gone while the watch is down
            writer.delete().forPath(root + "/flash");
            writer.create().forPath(root + "/stays");
            writer.delete().forPath(root + "/before");
            proxy.heal();

            Set<String> seen = new HashSet<>();
            Set<String> wanted = new HashSet<>();
            for (String e : expected) {
                wanted.add(e.replace("ROOT", root));
            }
            while (!seen.containsAll(wanted)) {
                String next = listener.arrivals.poll(30, TimeUnit.SECONDS);
                assertThat(next)
                        .as("the listing after the reconnect reports what changed (seen: %s)", seen)
                        .isNotNull();
                seen.add(next);
            }
            executor.submit(() -> {}).get(10, TimeUnit.SECONDS);
            folder.close();
            return listener.events.stream().map(e -> e.replace(root, "ROOT")).toList();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void
            afterAReconnect_whatChangedMeanwhileIsReported_exceptANodeCreatedAndDeletedWhileTheWatchWasDown()
                    throws Exception {
        List<String> heard =
                acrossAReconnect(
                        Tracking.FOLDER_EVERY_REMOVAL,
                        "removed ROOT/before",
                        "upserted ROOT/stays");

        // ZooKeeper replays no events: a node created and deleted while the watch was down is
        // never seen. Whoever tracks nodes it wrote itself cannot wait for their removal to be
        // reported.
        assertThat(heard).noneMatch(e -> e.endsWith("/flash"));
        assertThat(heard).noneMatch(e -> e.startsWith("relisted"));
    }

    @Test
    void aListenerThatTracksItsPaths_isHandedTheNewListing_andTheFolderKeepsNone()
            throws Exception {
        List<String> heard =
                acrossAReconnect(Tracking.LISTENER, "relisted [ROOT/stays]", "upserted ROOT/stays");

        assertThat(heard)
                .as("the folder knew of no paths: the listing, not the folder, says before went")
                .doesNotContain("removed ROOT/before")
                .containsSubsequence("relisted [ROOT/stays]", "upserted ROOT/stays");
        assertThat(heard).noneMatch(e -> e.endsWith("/flash"));
    }

    @Test
    void aNodeCreatedWhileALongListingIsRead_isReportedWithoutWaitingForTheWholeListing()
            throws Exception {
        int listed = 20_000;
        String root = "/" + ZK.uniqueCluster() + "/pending";
        CuratorFramework writer = ZK.newClient();
        writer.create().creatingParentsIfNeeded().forPath(root);
        CountDownLatch created = new CountDownLatch(listed);
        for (int i = 0; i < listed; i++) {
            writer.create().inBackground((c, e) -> created.countDown()).forPath(root + "/n" + i);
        }
        assertThat(created.await(60, TimeUnit.SECONDS)).isTrue();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            int[] listedBefore = {-1};
            int[] upserts = {0};
            CountDownLatch newcomer = new CountDownLatch(1);
            FolderListener listener =
                    FolderListener.of(
                            (path, data, version) -> {
                                if (path.endsWith("/newcomer")) {
                                    listedBefore[0] = upserts[0];
                                    newcomer.countDown();
                                } else if (upserts[0]++ == 0) {
                                    try { // the listing is being read: a task is submitted now
                                        writer.create().forPath(root + "/newcomer");
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                }
                            },
                            path -> {});
            WatchedFolder folder = new WatchedFolder(ZK.newClient(), root, 1, executor, listener);
            folder.start();
            assertThat(newcomer.await(60, TimeUnit.SECONDS)).isTrue();
            folder.whenInitialized().get(60, TimeUnit.SECONDS);
            folder.close();

            // read behind the whole listing, it would come after all 20,000
            assertThat(listedBefore[0])
                    .as("listed nodes reported before the new one")
                    .isLessThan(listed / 4);
        } finally {
            executor.shutdownNow();
        }
    }

    /**
     * A new leader asks what another watch on its session saw created lately when its own watch is
     * set ({@code RecentPending}): by then that watch has heard every node created before, and the
     * folder's own watch hears every one after, so a task submitted in between is in one of the
     * two.
     */
    @Test
    void watchSet_isHeardOnceBeforeTheListing_withEveryEarlierCreationHeardByTheSessionsOtherWatch()
            throws Exception {
        String root = "/" + ZK.uniqueCluster() + "/queue";
        CuratorFramework writer = ZK.newClient();
        writer.create().creatingParentsIfNeeded().forPath(root);
        CuratorFramework session = ZK.newClient();
        Set<String> heardByOther = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (org.apache.curator.framework.recipes.watch.PersistentWatcher other =
                new org.apache.curator.framework.recipes.watch.PersistentWatcher(
                        session, root, true)) {
            CountDownLatch otherSet = new CountDownLatch(1);
            other.getResetListenable().addListener(otherSet::countDown);
            other.getListenable().addListener(e -> heardByOther.add(String.valueOf(e.getPath())));
            other.start();
            assertThat(otherSet.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 300; i++) {
                writer.create().forPath(root + "/n" + i);
            }
            Recording listener =
                    new Recording() {
                        @Override
                        public void watchSet() {
                            events.add("watchSet, heard " + heardByOther.size());
                        }
                    };
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                WatchedFolder folder =
                        new WatchedFolder(
                                session, root, 1, executor, listener, Tracking.LISTENER, null);
                folder.start();
                folder.whenInitialized().get(30, TimeUnit.SECONDS);
                folder.close();
            } finally {
                executor.shutdownNow();
            }
            assertThat(listener.events).hasSize(301).first().isEqualTo("watchSet, heard 300");
        }
    }
}
