package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.client.DroverClient;
import io.drover.model.DroverJson;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/cluster} splits finished tasks into succeeded, failed and cancelled: the leader's
 * count, kept as tasks end, recounted by a new leader, and lowered as retention deletes them.
 */
class ClusterCountsTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private static JsonNode counts(ServerHarness server) throws Exception {
        return DroverJson.mapper().readTree(server.get("/v1/cluster").body()).get("tasks");
    }

    private static String split(JsonNode t) {
        return t.path("finished").asLong()
                + " finished: "
                + t.path("succeeded").asText("?")
                + " succeeded, "
                + t.path("failed").asText("?")
                + " failed, "
                + t.path("cancelled").asText("?")
                + " cancelled";
    }

    private static void awaitSplit(ServerHarness server, String expected) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> split(counts(server)), expected::equals);
    }

    @Test
    void finishedTasks_splitByHowTheyEnded_andANewLeaderCountsTheSameFromTheIndex()
            throws Exception {
        DroverClient client = DroverClient.connect(ZK.connectString(), "split");
        try (ServerHarness server = ServerHarness.start(ZK.connectString(), "split")) {
            server.startWorker("w1", 4);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(client.submit(TaskSpec.builder("echo").build()).join().taskId());
            }
            for (int i = 0; i < 2; i++) {
                ids.add(
                        client.submit(TaskSpec.builder("fail").maxAttempts(1).build())
                                .join()
                                .taskId());
            }
            client.awaitAll(ids, Duration.ofSeconds(30));
            // cancelled while pending (the leader ends it) and while running (the worker does)
            String parked =
                    client.submit(TaskSpec.builder("nobody-runs-it").build()).join().taskId();
            client.cancel(parked).join();
            String sleeping =
                    client.submit(TaskSpec.builder("sleep").payloadJson("{\"ms\":60000}").build())
                            .join()
                            .taskId();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.status(sleeping).join().state() == TaskState.RUNNING);
            client.cancel(sleeping).join();
            client.awaitAll(List.of(parked, sleeping), Duration.ofSeconds(30));

            awaitSplit(server, "9 finished: 5 succeeded, 2 failed, 2 cancelled");
            assertThat(counts(server).path("total").asLong()).isEqualTo(9);
        }

        try (ServerHarness next = ServerHarness.start(ZK.connectString(), "split")) {
            // a new term: the leader reads the state of each retained task it finds in the index
            awaitSplit(next, "9 finished: 5 succeeded, 2 failed, 2 cancelled");
        }
        client.close();
    }

    @Test
    void tasksRetentionDeletes_leaveTheSplitToo() throws Exception {
        DroverClient client = DroverClient.connect(ZK.connectString(), "retired");
        try (ServerHarness server =
                ServerHarness.start(
                        ZK.connectString(),
                        "retired",
                        c -> {
                            c.coordinator.maxRetainedTasks = 2;
                            c.coordinator.gcInterval =
                                    io.dropwizard.util.Duration.milliseconds(200);
                        })) {
            server.startWorker("w1", 4);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(client.submit(TaskSpec.builder("echo").build()).join().taskId());
                client.await(ids.get(i), Duration.ofSeconds(30)); // finish times in this order
            }
            String failed =
                    client.submit(TaskSpec.builder("fail").maxAttempts(1).build()).join().taskId();
            client.await(failed, Duration.ofSeconds(30));

            // the two newest stay: the last echo and the failure
            awaitSplit(server, "2 finished: 1 succeeded, 1 failed, 0 cancelled");
        }
        client.close();
    }
}
