package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.client.DroverClient;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.InvalidTaskException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.server.api.TaskPage;
import io.drover.server.api.TaskView;
import io.drover.server.internal.ClusterReader;
import io.drover.server.testing.ServerHarness;
import io.drover.store.StoreOptions;
import io.drover.testkit.ZooKeeperServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/tasks} newest first against a real ZooKeeper: the order across pages, each state
 * filter's part of it, tokens that stay valid while the cluster moves on, and the scan budget.
 */
class TaskListingTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    /** Every task of a listing, following the tokens; checks no task comes twice. */
    private static List<String> all(ClusterReader reader, TaskState state, String type, int limit)
            throws Exception {
        List<String> ids = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            TaskPage page = reader.list(state, type, limit, token);
            assertThat(page.tasks().size()).isLessThanOrEqualTo(limit);
            page.tasks().forEach(t -> ids.add(t.id()));
            token = page.nextPageToken();
        } while (token != null && ++pages < 1_000);
        assertThat(ids).doesNotHaveDuplicates();
        return ids;
    }

    private static List<String> ids(String prefix, int from, int toInclusive, boolean newestFirst) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= toInclusive; i++) {
            out.add(String.format("%s%02d", prefix, i));
        }
        if (newestFirst) {
            java.util.Collections.reverse(out);
        }
        return out;
    }

    @Test
    void pendingTasks_listNewestSubmittedFirst_whateverTheirPriority_acrossPages()
            throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverClient client = DroverClient.using(zk, "newest", StoreOptions.defaults());
        for (int i = 0; i < 30; i++) {
            // one at a time: each submission is stamped after the one before (time, then sequence)
            client.submit(
                            TaskSpec.builder("t")
                                    .id(String.format("p-%02d", i))
                                    .priority(i % 3)
                                    .build())
                    .join();
        }
        ClusterReader reader = new ClusterReader(zk, new DroverPaths("newest"), "newest");

        assertThat(all(reader, null, null, 7)).containsExactlyElementsOf(ids("p-", 0, 29, true));
        assertThat(all(reader, TaskState.PENDING, null, 4))
                .containsExactlyElementsOf(ids("p-", 0, 29, true));
        assertThat(all(reader, TaskState.SUCCEEDED, null, 4)).isEmpty();

        // A token stays good while tasks come: a newer task is on a new listing's first page, not
        // on the later pages of one already under way.
        TaskPage first = reader.list(TaskState.PENDING, null, 10, null);
        client.submit(TaskSpec.builder("t").id("p-late").build()).join();
        TaskPage second = reader.list(TaskState.PENDING, null, 10, first.nextPageToken());
        assertThat(second.tasks())
                .extracting(TaskView::id)
                .containsExactlyElementsOf(ids("p-", 10, 19, true));
        assertThat(reader.list(TaskState.PENDING, null, 1, null).tasks().get(0).id())
                .isEqualTo("p-late");
        client.close();
    }

    @Test
    void endedTasks_listNewestFinishedFirst_perState_andAfterTheLiveOnesWithoutAFilter()
            throws Exception {
        try (ServerHarness server = ServerHarness.start(ZK.connectString(), "ended")) {
            server.startWorker("w1", 2);
            DroverClient client = DroverClient.connect(ZK.connectString(), "ended");
            for (String id : ids("e-", 0, 9, false)) { // one after the other: finish times rise
                client.submit(TaskSpec.builder("echo").id(id).build()).join();
                assertThat(client.await(id, Duration.ofSeconds(30)).state())
                        .isEqualTo(TaskState.SUCCEEDED);
            }
            for (String id : ids("f-", 0, 1, false)) {
                client.submit(TaskSpec.builder("fail").id(id).maxAttempts(1).build()).join();
                assertThat(client.await(id, Duration.ofSeconds(30)).state())
                        .isEqualTo(TaskState.FAILED);
            }
            client.submit(TaskSpec.builder("nobody-runs-it").id("c-00").build()).join();
            client.cancel("c-00").join();
            assertThat(client.await("c-00", Duration.ofSeconds(30)).state())
                    .isEqualTo(TaskState.CANCELLED);
            client.submit(
                            TaskSpec.builder("sleep")
                                    .id("s-00")
                                    .payloadJson("{\"ms\":60000}")
                                    .build())
                    .join();
            for (String id : ids("q-", 0, 2, false)) {
                client.submit(TaskSpec.builder("nobody-runs-it").id(id).build()).join();
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.status("s-00").join().state() == TaskState.RUNNING);
            CuratorFramework zk = ZK.newClient();
            ClusterReader reader = new ClusterReader(zk, new DroverPaths("ended"), "ended");

            assertThat(all(reader, TaskState.SUCCEEDED, null, 3))
                    .containsExactlyElementsOf(ids("e-", 0, 9, true));
            assertThat(all(reader, TaskState.FAILED, null, 1)).containsExactly("f-01", "f-00");
            assertThat(all(reader, TaskState.CANCELLED, null, 5)).containsExactly("c-00");
            assertThat(all(reader, TaskState.RUNNING, null, 5)).containsExactly("s-00");
            assertThat(all(reader, TaskState.ASSIGNED, null, 5)).isEmpty();
            List<String> everything = new ArrayList<>(List.of("s-00", "q-02", "q-01", "q-00"));
            everything.addAll(List.of("c-00", "f-01", "f-00"));
            everything.addAll(ids("e-", 0, 9, true));
            for (int limit : new int[] {1, 4, 100}) {
                assertThat(all(reader, null, null, limit))
                        .as("limit " + limit)
                        .containsExactlyElementsOf(everything);
            }
            assertThat(all(reader, null, "fail", 2)).containsExactly("f-01", "f-00");

            JsonNode page =
                    DroverJson.mapper()
                            .readTree(server.get("/v1/tasks?state=succeeded&limit=2").body());
            assertThat(page.get("tasks").findValuesAsText("id")).containsExactly("e-09", "e-08");
            client.close();
        }
    }

    @Test
    void moreTasksInFlightThanTheBudget_goByIdInstead_andEachComesOnce() throws Exception {
        try (ServerHarness server = ServerHarness.start(ZK.connectString(), "inflight")) {
            server.startWorker("w1", 5);
            DroverClient client = DroverClient.connect(ZK.connectString(), "inflight");
            for (String id : ids("r-", 0, 4, false)) {
                client.submit(
                                TaskSpec.builder("sleep")
                                        .id(id)
                                        .payloadJson("{\"ms\":60000}")
                                        .build())
                        .join();
            }
            // untilAsserted: if one never runs, the failure shows every task's status
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () ->
                                    assertThat(ids("r-", 0, 4, false))
                                            .map(id -> client.status(id).join())
                                            .allMatch(
                                                    st -> st.state() == TaskState.RUNNING,
                                                    "RUNNING"));
            CuratorFramework zk = ZK.newClient();
            DroverPaths paths = new DroverPaths("inflight");

            assertThat(all(new ClusterReader(zk, paths, "inflight"), TaskState.RUNNING, null, 2))
                    .as("within the budget: newest submitted first")
                    .containsExactlyElementsOf(ids("r-", 0, 4, true));
            assertThat(all(new ClusterReader(zk, paths, "inflight", 3), null, null, 2))
                    .as("over a budget of 3: by id, newest id first")
                    .containsExactlyElementsOf(ids("r-", 0, 4, true));
            client.close();
        }
    }

    @Test
    void aTokenOfAnotherFilterOrAnOlderServer_isRefusedNamingPageToken() throws Exception {
        CuratorFramework zk = ZK.newClient();
        DroverClient client = DroverClient.using(zk, "tokens", StoreOptions.defaults());
        for (int i = 0; i < 3; i++) {
            client.submit(TaskSpec.builder("t").build()).join();
        }
        ClusterReader reader = new ClusterReader(zk, new DroverPaths("tokens"), "tokens");
        String pendingToken = reader.list(TaskState.PENDING, null, 1, null).nextPageToken();
        String olderServers =
                Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("3/abc".getBytes(StandardCharsets.UTF_8));

        for (String bad : new String[] {"not-base64!", olderServers}) {
            assertThatThrownBy(() -> reader.list(null, null, 10, bad))
                    .isInstanceOf(InvalidTaskException.class)
                    .hasMessageContaining("pageToken");
        }
        assertThatThrownBy(() -> reader.list(TaskState.FAILED, null, 10, pendingToken))
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageContaining("for this filter");
        assertThat(reader.list(null, null, 10, pendingToken).tasks())
                .as("the unfiltered walk has a pending part: the token goes on there")
                .hasSize(2);
        client.close();
    }
}
