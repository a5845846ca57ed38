package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.drover.client.DroverClient;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.model.TaskSpec;
import io.drover.model.WorkerInfo;
import io.drover.server.api.ItemView;
import io.drover.server.api.TaskPage;
import io.drover.server.api.TaskView;
import io.drover.server.api.WorkerView;
import io.drover.server.internal.ClusterReader;
import io.drover.store.ItemStore;
import io.drover.store.StoreOptions;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterReaderTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    @Test
    void rareFilter_withASmallScanBudget_returnsShortPages_butFindsEachMatchExactlyOnce()
            throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverClient client = DroverClient.using(zk, "budget", StoreOptions.defaults());
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            specs.add(TaskSpec.builder(i % 20 == 0 ? "rare" : "common").id("t-" + i).build());
        }
        client.submitAll(specs).forEach(f -> f.join());

        ClusterReader reader = new ClusterReader(zk, new DroverPaths("budget"), "budget", 7);
        Set<String> found = new HashSet<>();
        String token = null;
        int requests = 0;
        do {
            TaskPage page = reader.list(null, "rare", 100, token);
            assertThat(page.tasks().size())
                    .as("never more than the budget reads")
                    .isLessThanOrEqualTo(7);
            for (TaskView t : page.tasks()) {
                assertThat(found.add(t.id())).as("no task twice: " + t.id()).isTrue();
            }
            token = page.nextPageToken();
            requests++;
        } while (token != null && requests < 1_000);

        assertThat(found).containsExactlyInAnyOrder("t-0", "t-20", "t-40", "t-60", "t-80", "t-100");
        assertThat(requests).as("120 statuses at 7 per request").isBetween(18, 18 + 64);
        client.close();
    }

    @Test
    void workerServingItems_showsHowManyItServes_andTheItemShowsWhoServesAndLoadsIt()
            throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverPaths paths = new DroverPaths("served");
        for (String parent : io.drover.store.Layout.persistentParents(paths)) {
            zk.create().creatingParentsIfNeeded().forPath(parent);
        }
        // What a worker with an item handler and the leader would have written, by hand: no
        // coordinator runs here.
        zk.create().forPath(paths.assignments("w1"));
        zk.create().forPath(paths.assignments("w2"));
        WorkerInfo w1 =
                new WorkerInfo(
                        0, "w1", 2, List.of("echo"), Map.of(), null, "test", "host", 1, true);
        zk.create().forPath(paths.worker("w1"), DroverJson.encode(w1));
        zk.create()
                .forPath(
                        paths.worker("w2"),
                        DroverJson.encode(
                                new WorkerInfo(
                                        0,
                                        "w2",
                                        2,
                                        List.of("echo"),
                                        Map.of(),
                                        null,
                                        "test",
                                        "host",
                                        1,
                                        false)));
        ItemStore items = new ItemStore(zk, paths);
        items.put(ItemSpec.of("seg-a", 2));
        items.put(ItemSpec.of("seg-b", 1));
        zk.create().creatingParentsIfNeeded().forPath(paths.servedItem("w1", "seg-a"));
        zk.create().creatingParentsIfNeeded().forPath(paths.servedItem("w1", "seg-b"));
        zk.create()
                .creatingParentsIfNeeded()
                .forPath(
                        paths.loadCommand("w2", "seg-a"),
                        DroverJson.encode(
                                LoadCommand.of(
                                        LoadCommand.Action.LOAD, ItemSpec.of("seg-a", 2), 1, 1)));

        ClusterReader reader = new ClusterReader(zk, paths, "served");
        List<WorkerView> workers = reader.workers();
        assertThat(workers)
                .extracting(WorkerView::id, WorkerView::items, WorkerView::servesItems)
                .containsExactly(tuple("w1", 2, true), tuple("w2", 0, false));
        assertThat(reader.cluster().items()).isEqualTo(2);

        ItemView a = ItemView.of(items.get("seg-a").orElseThrow());
        assertThat(a.served()).isEqualTo(1);
        assertThat(a.servedBy()).containsExactly("w1");
        assertThat(a.loading()).containsExactly("w2");
        assertThat(a.dropping()).isEmpty();
        assertThat(a.state()).isEqualTo("UNDER_REPLICATED");
        assertThat(ItemView.of(items.get("seg-b").orElseThrow()).state()).isEqualTo("SERVED");
    }

    @Test
    void workersTheLeaderWouldNotAdmit_areListedRejectedWithWhy_andACorruptItemIsListedAsSuch()
            throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverPaths paths = new DroverPaths("rejects");
        for (String parent : io.drover.store.Layout.persistentParents(paths)) {
            zk.create().creatingParentsIfNeeded().forPath(parent);
        }
        zk.create().forPath(paths.assignments("ghost-node"));
        zk.create()
                .forPath(
                        paths.worker("ghost-node"),
                        DroverJson.encode(
                                new WorkerInfo(
                                        1,
                                        "ghost",
                                        2,
                                        List.of("echo"),
                                        Map.of(),
                                        null,
                                        "test",
                                        "host",
                                        1,
                                        false)));
        zk.create()
                .forPath(
                        paths.worker("no-folder"),
                        DroverJson.encode(
                                new WorkerInfo(
                                        1,
                                        "no-folder",
                                        2,
                                        List.of("echo"),
                                        Map.of(),
                                        null,
                                        "test",
                                        "host",
                                        1,
                                        false)));
        zk.create()
                .forPath(
                        paths.worker("_bad"),
                        "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        zk.create()
                .forPath(
                        paths.item("mangled"),
                        "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        List<WorkerView> workers = new ClusterReader(zk, paths, "rejects").workers();

        assertThat(workers)
                .extracting(WorkerView::id, WorkerView::state)
                .containsExactly(
                        tuple("_bad", "REJECTED"),
                        tuple("ghost-node", "REJECTED"),
                        tuple("no-folder", "REJECTED"));
        assertThat(workers.get(1).rejected())
                .contains("its data names \"ghost\" but the node is \"ghost-node\"");
        assertThat(workers.get(2).rejected()).contains("does not exist");
        ItemView mangled = ItemView.of(new ItemStore(zk, paths).list().get(0));
        assertThat(mangled.state()).isEqualTo("CORRUPT");
        assertThat(mangled.error()).contains("id: is required");
    }
}
