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

/** {@code /v1/graphs}: submit, show, list, cancel and re-run graphs through the HTTP API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphsApiTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private ServerHarness server;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "api-graphs");
        server.startWorker("worker-1", 4);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return DroverJson.mapper().readTree(r.body());
    }

    private JsonNode awaitGraph(String id, String state) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> json(server.get("/v1/graphs/" + id)),
                        g -> g.path("state").asText().equals(state));
    }

    @Test
    void aGraph_isSubmitted_shownWithItsTasksAndEdges_andListed() throws Exception {
        HttpResponse<String> r =
                server.post(
                        "/v1/graphs",
                        "{\"id\":\"etl\",\"tasks\":["
                                + "{\"id\":\"etl-extract\",\"type\":\"echo\",\"payload\":{\"rows\":3}},"
                                + "{\"id\":\"etl-load\",\"type\":\"echo\",\"dependsOn\":[\"etl-extract\"]},"
                                + "{\"id\":\"etl-report\",\"type\":\"echo\",\"dependsOn\":[\"etl-load\"]}]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/v1/graphs/etl");
        assertThat(json(r).get("tasks").asInt()).isEqualTo(3);
        JsonNode g = awaitGraph("etl", "SUCCEEDED");
        assertThat(g.get("counts").get("SUCCEEDED").asInt()).isEqualTo(3);
        assertThat(g.get("ended").get("succeeded").asInt()).isEqualTo(3);
        assertThat(g.get("tasks").get(1).get("dependsOn").get(0).asText()).isEqualTo("etl-extract");
        JsonNode load = json(server.get("/v1/tasks/etl-load"));
        assertThat(load.get("graphId").asText()).isEqualTo("etl");
        assertThat(load.get("dependents").get(0).get("id").asText()).isEqualTo("etl-report");
        assertThat(load.get("dependsOn").get(0).get("state").asText()).isEqualTo("SUCCEEDED");
        JsonNode page = json(server.get("/v1/graphs?limit=100"));
        assertThat(page.get("graphs")).extracting(x -> x.get("id").asText()).contains("etl");
    }

    @Test
    void aCycle_isA400NamingIt_andAnUnknownIdNamesItsField() throws Exception {
        HttpResponse<String> cycle =
                server.post(
                        "/v1/graphs",
                        "{\"id\":\"loop\",\"tasks\":["
                                + "{\"id\":\"l1\",\"type\":\"echo\",\"dependsOn\":[\"l2\"]},"
                                + "{\"id\":\"l2\",\"type\":\"echo\",\"dependsOn\":[\"l1\"]}]}");
        HttpResponse<String> unknown =
                server.post(
                        "/v1/graphs",
                        "{\"tasks\":[{\"id\":\"u1\",\"type\":\"echo\",\"dependsOn\":[\"u0\"]}]}");

        assertThat(cycle.statusCode()).as(cycle.body()).isEqualTo(400);
        assertThat(json(cycle).get("message").asText()).contains("l1 -> l2 -> l1");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
        assertThat(json(unknown).get("field").asText()).isEqualTo("tasks[0].dependsOn");
        assertThat(json(unknown).get("message").asText()).contains("u0");
        assertThat(server.get("/v1/graphs/loop").statusCode()).isEqualTo(404);
    }

    @Test
    void aFailedGraph_isRerunFromItsFailedTasks_andACancelledOneEndsCancelled() throws Exception {
        // "fail" fails its first attempt and succeeds on the second (maxAttempts 1 fails it for
        // good)
        HttpResponse<String> r =
                server.post(
                        "/v1/graphs",
                        "{\"id\":\"flaky\",\"tasks\":["
                                + "{\"id\":\"fl-1\",\"type\":\"fail\",\"maxAttempts\":1,"
                                + "\"payload\":{\"times\":1}},"
                                + "{\"id\":\"fl-2\",\"type\":\"echo\",\"dependsOn\":[\"fl-1\"]}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode failed = awaitGraph("flaky", "FAILED");
        assertThat(failed.get("counts").get("CANCELLED").asInt()).isEqualTo(1);
        assertThat(server.post("/v1/graphs/flaky/rerun", null).statusCode()).isEqualTo(200);
        // the re-run fails again (attempt 1 of the new series fails as asked): still a re-run
        JsonNode again =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () -> json(server.get("/v1/graphs/flaky")),
                                g ->
                                        g.path("reruns").asInt() == 1
                                                && !g.path("state").asText().equals("RUNNING"));
        assertThat(again.get("state").asText()).isEqualTo("FAILED");

        r =
                server.post(
                        "/v1/graphs",
                        "{\"id\":\"held\",\"tasks\":[{\"id\":\"h-1\",\"type\":\"nobody-runs-it\"},"
                                + "{\"id\":\"h-2\",\"type\":\"echo\",\"dependsOn\":[\"h-1\"]}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        HttpResponse<String> running = server.post("/v1/graphs/held/rerun", null);
        assertThat(running.statusCode()).as(running.body()).isEqualTo(409);
        HttpResponse<String> cancel = server.post("/v1/graphs/held/cancel", null);
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
        assertThat(json(cancel).get("tasks").asInt()).isEqualTo(2);
        assertThat(awaitGraph("held", "CANCELLED").get("ended").get("cancelled").asInt())
                .isEqualTo(2);
        assertThat(server.post("/v1/graphs/no-such/cancel", null).statusCode()).isEqualTo(404);
    }
}
