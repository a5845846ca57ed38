package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/tasks} with {@code broadcast}, and the responses in {@code GET /v1/tasks/{id}}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BroadcastApiTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private ServerHarness server;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "api-broadcast");
        server.startWorker("worker-1", 2);
        server.startWorker("worker-2", 2);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return DroverJson.mapper().readTree(r.body());
    }

    private JsonNode task(String id) throws Exception {
        return json(server.get("/v1/tasks/" + id));
    }

    @Test
    void submitABroadcast_itEndsWithOneResponsePerWorker_shownWithTheTask() throws Exception {
        HttpResponse<String> r =
                server.post(
                        "/v1/tasks",
                        "{\"id\":\"hello-all\",\"type\":\"echo\",\"payload\":{\"hi\":1},"
                                + "\"broadcast\":{\"success\":\"ALL\",\"gatherMs\":60000}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);

        JsonNode done =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () -> task("hello-all"),
                                t -> t.path("state").asText().equals("SUCCEEDED"));

        JsonNode b = done.get("broadcast");
        assertThat(b.get("success").asText()).isEqualTo("ALL");
        assertThat(b.get("workers").asInt()).isEqualTo(2);
        assertThat(b.get("succeeded").asInt()).isEqualTo(2);
        assertThat(b.get("responses")).hasSize(2);
        JsonNode first = b.get("responses").get(0);
        assertThat(first.get("workerId").asText()).isEqualTo("worker-1");
        assertThat(first.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(first.get("result").get("hi").asInt()).isEqualTo(1);
        JsonNode response = task(first.get("taskId").asText());
        assertThat(response.get("broadcast").get("parentId").asText()).isEqualTo("hello-all");
        assertThat(response.get("broadcast").get("targetWorker").asText()).isEqualTo("worker-1");
        assertThat(response.get("worker").asText()).isEqualTo("worker-1");
    }

    @Test
    void whileItGathers_theBroadcastIsWaiting_andShowsEachResponseLive() throws Exception {
        server.post(
                "/v1/tasks",
                "{\"id\":\"slow-all\",\"type\":\"sleep\",\"payload\":{\"ms\":60000},"
                        + "\"broadcast\":{\"success\":\"ANY\",\"gatherMs\":600000}}");

        JsonNode waiting =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () -> task("slow-all"),
                                t ->
                                        t.path("broadcast").path("responses").size() == 2
                                                && t
                                                        .path("broadcast")
                                                        .path("responses")
                                                        .findValuesAsText("state")
                                                        .stream()
                                                        .allMatch("RUNNING"::equals));

        assertThat(waiting.get("state").asText()).isEqualTo("WAITING");
        assertThat(waiting.get("broadcast").get("deadlineMs").asLong()).isPositive();
        assertThat(waiting.get("broadcast").get("needed").asInt()).isEqualTo(1);
        HttpResponse<String> cancel = server.post("/v1/tasks/slow-all/cancel", "");
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
        JsonNode cancelled =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () -> task("slow-all"),
                                t -> t.path("state").asText().equals("CANCELLED"));
        assertThat(cancelled.get("broadcast").get("responses").findValuesAsText("state"))
                .containsOnly("CANCELLED");
    }

    @Test
    void aBadBroadcast_is400_namingTheField() throws Exception {
        HttpResponse<String> negative =
                server.post("/v1/tasks", "{\"type\":\"echo\",\"broadcast\":{\"gatherMs\":-1}}");
        HttpResponse<String> unknownPolicy =
                server.post(
                        "/v1/tasks", "{\"type\":\"echo\",\"broadcast\":{\"success\":\"MOST\"}}");
        HttpResponse<String> typo =
                server.post("/v1/tasks", "{\"type\":\"echo\",\"broadcast\":{\"gather\":5}}");

        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(negative.body()).contains("broadcast.gatherMs");
        assertThat(unknownPolicy.statusCode()).isEqualTo(400);
        assertThat(unknownPolicy.body()).contains("MOST");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(typo.body()).contains("gather");
    }
}
