package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.client.DroverClient;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.server.api.TaskPage;
import io.drover.server.api.TaskView;
import io.drover.server.internal.ClusterReader;
import io.drover.store.StoreOptions;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterReaderTest {
    @RegisterExtension
    static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    @Test
    void rareFilter_withASmallScanBudget_returnsShortPages_butFindsEachMatchExactlyOnce() throws Exception {
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
            assertThat(page.tasks().size()).as("never more than the budget reads").isLessThanOrEqualTo(7);
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
}
