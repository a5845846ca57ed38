package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.protocol.CorruptNodes;
import io.drover.testkit.ZooKeeperServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The leader's picture of the item queues against a real ZooKeeper. */
class ItemWatchesTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private final ExecutorService leaderThread = Executors.newSingleThreadExecutor();
    private final ItemState state = new ItemState();

    @AfterEach
    void stop() {
        leaderThread.shutdownNow();
    }

    private static ItemState.Command load() {
        return new ItemState.Command(LoadCommand.Action.LOAD, false);
    }

    private <T> T onLeaderThread(Callable<T> c) throws Exception {
        return leaderThread.submit(c).get(10, TimeUnit.SECONDS);
    }

    /**
     * However the leader came to count a command that is in no queue, it must not count it for
     * ever: it would hold back the item and all balancing. The reconcile's audit settles it; a
     * command that is there is left alone.
     */
    @Test
    void commandCountedButInNoQueue_auditSettlesIt_oneInTheQueueOrStillBeingWrittenStays()
            throws Exception {
        CuratorFramework client = ZK.newClient();
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        for (String folder : List.of(paths.items(), paths.served(), paths.loadQueue() + "/w1")) {
            client.create().creatingParentsIfNeeded().forPath(folder);
        }
        client.create()
                .forPath(
                        paths.loadCommand("w1", "queued"),
                        DroverJson.encode(
                                LoadCommand.of(
                                        LoadCommand.Action.LOAD, ItemSpec.of("queued", 1), 1, 1)));
        LeaderContext ctx =
                new LeaderContext(
                        client,
                        paths,
                        null,
                        null,
                        null,
                        null,
                        leaderThread,
                        new CorruptNodes("test"),
                        new LeaderEvents());
        try (ItemWatches watches =
                new ItemWatches(ctx, state, new LoadFailures(60_000), () -> {})) {
            watches.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> onLeaderThread(watches::initialized));
            assertThat(onLeaderThread(() -> state.command("w1", "queued"))).isNotNull();
            onLeaderThread(
                    () -> {
                        state.command("w1", "vanished", load());
                        state.command("w1", "being-written", load());
                        return null;
                    });

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> {
                                onLeaderThread(
                                        () -> {
                                            watches.auditCommands(
                                                    0, (w, item) -> item.equals("being-written"));
                                            return null;
                                        });
                                assertThat(onLeaderThread(() -> state.command("w1", "vanished")))
                                        .as("settled: it is in no queue")
                                        .isNull();
                            });
            assertThat(onLeaderThread(() -> state.command("w1", "queued")))
                    .as("in its queue: still counted")
                    .isNotNull();
            assertThat(onLeaderThread(() -> state.command("w1", "being-written")))
                    .as("its write, still on its way, answers for it")
                    .isNotNull();
        }
    }
}
