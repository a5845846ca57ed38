package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.store.ItemStatus;
import io.drover.store.ItemStore;
import io.drover.testkit.Faults;
import io.drover.worker.Item;
import io.drover.worker.ItemHandler;
import io.drover.worker.Worker;
import io.drover.worker.demo.DemoItems;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

class ItemsIT extends ClusterIT {
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    private DroverPaths paths() {
        return new DroverPaths(cluster.cluster());
    }

    private static Map<String, Integer> declare(
            ItemStore items, String prefix, int count, int replicas, String spec) {
        Map<String, Integer> desired = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            items.put(
                    ItemSpec.of(id, replicas)
                            .withSpec(spec == null ? null : DroverJson.parsePayload(spec)));
            desired.put(id, replicas);
        }
        return desired;
    }

    /**
     * Every item served by exactly its replicas, on distinct workers, with no command left in any
     * queue.
     */
    private void awaitConverged(ItemStore items, Map<String, Integer> desired) {
        await().atMost(CONVERGE)
                .untilAsserted(
                        () -> {
                            Map<String, ItemStatus> byId = new HashMap<>();
                            items.list().forEach(s -> byId.put(s.item().id(), s));
                            assertThat(byId.keySet()).containsAll(desired.keySet());
                            desired.forEach(
                                    (id, n) -> {
                                        ItemStatus s = byId.get(id);
                                        assertThat(s.servedBy())
                                                .as("servedBy of %s", id)
                                                .hasSize(n)
                                                .doesNotHaveDuplicates();
                                        assertThat(s.loading()).as("loading of %s", id).isEmpty();
                                        assertThat(s.dropping()).as("dropping of %s", id).isEmpty();
                                    });
                        });
    }

    /**
     * Commands in ZooKeeper's queues, for a failure message: was a command left, or did the leader
     * stop?
     */
    private static String queues(ItemStore items) {
        StringBuilder out = new StringBuilder();
        items.list()
                .forEach(
                        s -> {
                            if (!s.loading().isEmpty() || !s.dropping().isEmpty()) {
                                out.append(s.item().id())
                                        .append(" loading=")
                                        .append(s.loading())
                                        .append(" dropping=")
                                        .append(s.dropping())
                                        .append("; ");
                            }
                        });
        return out.length() == 0 ? "none" : out.toString();
    }

    private static Map<String, Integer> perWorker(ItemStore items) {
        Map<String, Integer> out = new HashMap<>();
        items.servedByWorker().forEach((w, served) -> out.put(w, served.size()));
        return out;
    }

    /** Counts loads per item and worker. */
    private static final class CountingItems implements ItemHandler {
        final DemoItems demo = new DemoItems();
        final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

        @Override
        public void load(Item item) throws Exception {
            demo.load(item);
            loads.computeIfAbsent(item.id() + "@" + item.workerId(), k -> new AtomicInteger())
                    .incrementAndGet();
        }

        @Override
        public void drop(Item item) {
            demo.drop(item);
        }
    }

    @Test
    void itemsDeclared_convergeOnDistinctWorkers_evenly_andOnlyWhereTheirLabelsAre() {
        cluster.coordinator("c1");
        for (int i = 1; i <= 3; i++) {
            cluster.itemWorker(
                    "w" + i, new DemoItems(), i == 3 ? b -> b.label("tier", "hot") : null);
        }
        DroverClient client = cluster.client();
        Map<String, Integer> desired = declare(client.items(), "seg-", 30, 2, null);
        client.items().put(ItemSpec.of("hot-1", 1).withLabels(Map.of("tier", "hot")));
        desired.put("hot-1", 1);

        awaitConverged(client.items(), desired);

        assertThat(client.items().get("hot-1").orElseThrow().servedBy()).containsExactly("w3");
        Map<String, Integer> counts = perWorker(client.items());
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(61);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(20, 21));
    }

    @Test
    void workerSessionDies_itsItemsComeBackToFullReplicationElsewhere() throws Exception {
        cluster.coordinator("c1");
        CuratorFramework doomed = ZK.newClient();
        cluster.worker(doomed, "w1", 1, Map.of(), b -> b.itemHandler(new DemoItems()));
        cluster.itemWorker("w2", new DemoItems(), null);
        cluster.itemWorker("w3", new DemoItems(), null);
        ItemStore items = cluster.client().items();
        Map<String, Integer> desired = declare(items, "seg-", 30, 2, null);
        awaitConverged(items, desired);
        assertThat(perWorker(items).get("w1")).isPositive();

        Faults.expireSession(doomed, ZK.connectString());
        await().atMost(CONVERGE).until(() -> perWorker(items).getOrDefault("w1", 0) == 0);
        await().atMost(CONVERGE)
                .untilAsserted(
                        () ->
                                assertThat(items.list())
                                        .allSatisfy(
                                                s -> {
                                                    assertThat(s.servedBy())
                                                            .hasSize(2)
                                                            .containsAnyOf("w2", "w3");
                                                    assertThat(s.servedBy())
                                                            .allSatisfy(
                                                                    w ->
                                                                            assertThat(w)
                                                                                    .isIn(
                                                                                            "w2",
                                                                                            "w3",
                                                                                            "w1"));
                                                }));
        awaitConverged(items, desired);
    }

    @Test
    void workerJoins_receivesAFairShare_whileReplicationNeverDips() throws Exception {
        cluster.coordinator(
                ZK.newClient(),
                "c1",
                b -> b.items(new CoordinatorConfig.ItemSettings(20, 3, Duration.ofMinutes(5))));
        cluster.itemWorker("w1", new DemoItems(), null);
        cluster.itemWorker("w2", new DemoItems(), null);
        ItemStore items = cluster.client().items();
        try (ServedLog log = new ServedLog(ZK.newClient(), paths().served())) {
            Map<String, Integer> desired = declare(items, "seg-", 24, 1, "{\"loadMs\": 20}");
            awaitConverged(items, desired);
            log.baseline(desired);

            cluster.itemWorker("w3", new DemoItems(), null);

            await().atMost(CONVERGE)
                    .untilAsserted(
                            () ->
                                    assertThat(perWorker(items))
                                            .as(() -> "queues: " + queues(items))
                                            .containsOnly(
                                                    Map.entry("w1", 8),
                                                    Map.entry("w2", 8),
                                                    Map.entry("w3", 8)));
            awaitConverged(items, desired);
            assertThat(log.fewestReplicasSeen())
                    .as("no item ever had fewer replicas during the moves")
                    .isEqualTo(1);
            assertThat(log.mostOverReplicatedAtOnce())
                    .as("moves in flight at once")
                    .isBetween(1, 3);
        }
    }

    @Test
    void drainingWorker_endsWithNoItems_andEveryItemKeepsItsReplicas() throws Exception {
        cluster.coordinator("c1");
        Worker w1 = cluster.itemWorker("w1", new DemoItems(), null);
        cluster.itemWorker("w2", new DemoItems(), null);
        cluster.itemWorker("w3", new DemoItems(), null);
        ItemStore items = cluster.client().items();
        try (ServedLog log = new ServedLog(ZK.newClient(), paths().served())) {
            Map<String, Integer> desired = declare(items, "seg-", 20, 2, null);
            awaitConverged(items, desired);
            log.baseline(desired);

            w1.drain().get(60, TimeUnit.SECONDS);

            assertThat(w1.servedItems()).isEmpty();
            assertThat(perWorker(items).getOrDefault("w1", 0)).isZero();
            awaitConverged(items, desired);
            assertThat(log.fewestReplicasSeen()).isEqualTo(2);
        }
    }

    @Test
    void leaderFailsOverMidRebalance_noCommandLostOrRepeated() throws Exception {
        CuratorFramework firstLeaderSession = ZK.newClient();
        CoordinatorConfig.ItemSettings slowMoves =
                new CoordinatorConfig.ItemSettings(20, 2, Duration.ofMinutes(5));
        Coordinator c1 = cluster.coordinator(firstLeaderSession, "c1", b -> b.items(slowMoves));
        long firstEpoch = c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator(ZK.newClient(), "c2", b -> b.items(slowMoves));
        CountingItems handler = new CountingItems();
        cluster.itemWorker("w1", handler, null);
        cluster.itemWorker("w2", handler, null);
        ItemStore items = cluster.client().items();
        try (ServedLog log = new ServedLog(ZK.newClient(), paths().served())) {
            Map<String, Integer> desired = declare(items, "seg-", 30, 1, "{\"loadMs\": 150}");
            awaitConverged(items, desired);
            log.baseline(desired);

            cluster.itemWorker("w3", handler, null);
            await().atMost(CONVERGE)
                    .until(
                            () ->
                                    !items.list().stream()
                                            .allMatch(
                                                    s ->
                                                            s.loading().isEmpty()
                                                                    && s.dropping().isEmpty()));
            Faults.expireSession(firstLeaderSession, ZK.connectString());
            long secondEpoch = c2.whenLeaderReady().get(30, TimeUnit.SECONDS);

            await().atMost(CONVERGE)
                    .untilAsserted(
                            () ->
                                    assertThat(perWorker(items))
                                            .containsOnly(
                                                    Map.entry("w1", 10),
                                                    Map.entry("w2", 10),
                                                    Map.entry("w3", 10)));
            awaitConverged(items, desired);
            assertThat(secondEpoch).isGreaterThan(firstEpoch);
            assertThat(log.fewestReplicasSeen()).isEqualTo(1);
            assertThat(handler.loads.entrySet())
                    .allSatisfy(
                            e ->
                                    assertThat(e.getValue().get())
                                            .as("loads of %s", e.getKey())
                                            .isEqualTo(1));
        }
    }

    @Test
    void deposedLeadersLoadCommand_isRejectedByZooKeeper_theNextTermSendsIt() throws Exception {
        CuratorFramework session = ZK.newClient();
        Coordinator c1 = cluster.coordinator(session, "c1", null);
        long epoch = c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        CountDownLatch gate = new CountDownLatch(1);
        cluster.itemWorker(
                "w1",
                new ItemHandler() {
                    @Override
                    public void load(Item item) throws Exception {
                        gate.await(60, TimeUnit.SECONDS);
                    }

                    @Override
                    public void drop(Item item) {}
                },
                null);
        // Someone who wrongly believes it leads (CURATOR-696) bumps the epoch; c1 does not know
        // yet.
        session.setData().forPath(paths().leaderEpoch(), "{\"leader\":\"impostor\"}".getBytes());

        cluster.client().items().put(ItemSpec.of("seg-0", 1));

        await().atMost(CONVERGE)
                .until(
                        () ->
                                session.checkExists().forPath(paths().loadCommand("w1", "seg-0"))
                                        != null);
        LoadCommand sent =
                DroverJson.decode(
                        "cmd",
                        session.getData().forPath(paths().loadCommand("w1", "seg-0")),
                        LoadCommand.class);
        assertThat(sent.epoch())
                .as("the command comes from a new term, not the deposed one")
                .isGreaterThan(epoch + 1);
        assertThat(c1.leaderEpoch().orElseThrow()).isEqualTo(sent.epoch());
        gate.countDown();
        awaitConverged(cluster.client().items(), Map.of("seg-0", 1));
    }

    @Test
    void loadKeepsFailingOnOneWorker_leaderGivesUpOnIt_andLoadsElsewhere() {
        cluster.coordinator("c1");
        cluster.itemWorker("w1", new DemoItems(), null);
        cluster.itemWorker("w2", new DemoItems(), null);
        ItemStore items = cluster.client().items();

        items.put(
                ItemSpec.of("picky", 1).withSpec(DroverJson.parsePayload("{\"failOn\": \"w1\"}")));

        awaitConverged(items, Map.of("picky", 1));
        assertThat(items.get("picky").orElseThrow().servedBy()).containsExactly("w2");
    }

    @Test
    void replicasLowered_extrasDropped_thenDeleted_droppedEverywhere() {
        cluster.coordinator("c1");
        Worker w1 = cluster.itemWorker("w1", new DemoItems(), null);
        Worker w2 = cluster.itemWorker("w2", new DemoItems(), null);
        ItemStore items = cluster.client().items();
        items.put(ItemSpec.of("seg", 2));
        awaitConverged(items, Map.of("seg", 2));

        items.put(ItemSpec.of("seg", 1));
        awaitConverged(items, Map.of("seg", 1));
        items.delete("seg");

        await().atMost(CONVERGE)
                .until(
                        () ->
                                w1.servedItems().isEmpty()
                                        && w2.servedItems().isEmpty()
                                        && perWorker(items).values().stream()
                                                .allMatch(n -> n == 0));
        assertThat(items.get("seg")).isEmpty();
    }
}
