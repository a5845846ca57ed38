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

/** {@code dependsOn} through the HTTP API: submit, show, list and cancel waiting tasks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DependenciesApiTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private ServerHarness server;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "api-deps");
        server.startWorker("worker-1", 4);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return DroverJson.mapper().readTree(r.body());
    }

    private void submit(String body) throws Exception {
        HttpResponse<String> r = server.post("/v1/tasks", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private JsonNode awaitState(String id, String state) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> json(server.get("/v1/tasks/" + id)),
                        t -> t.path("state").asText().equals(state));
    }

    @Test
    void aWaitingTask_showsWhatItWaitsFor_isListedAsWaiting_andIsCancelledWithItsDependency()
            throws Exception {
        submit("{\"id\":\"held\",\"type\":\"nobody-runs-it\"}");
        submit("{\"id\":\"after-held\",\"type\":\"echo\",\"dependsOn\":[\"held\"]}");

        JsonNode t = json(server.get("/v1/tasks/after-held"));
        assertThat(t.get("state").asText()).isEqualTo("WAITING");
        assertThat(t.get("ifDependencyFails").asText()).isEqualTo("CANCEL");
        assertThat(t.get("dependsOn").get(0).get("id").asText()).isEqualTo("held");
        assertThat(t.get("dependsOn").get(0).get("state").asText()).isEqualTo("PENDING");
        assertThat(t.get("waitingFor").asText())
                .isEqualTo("DEPENDENCIES: 1 of 1 not ended yet: held");
        JsonNode page = json(server.get("/v1/tasks?state=WAITING"));
        assertThat(page.get("tasks")).extracting(x -> x.get("id").asText()).contains("after-held");

        assertThat(server.post("/v1/tasks/held/cancel", null).statusCode()).isEqualTo(202);

        JsonNode cancelled = awaitState("after-held", "CANCELLED");
        assertThat(cancelled.get("error").asText()).isEqualTo("dependency held CANCELLED");
        assertThat(cancelled.get("dependsOn").get(0).get("state").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void aDependentRuns_onceItsDependencySucceeded() throws Exception {
        submit("{\"id\":\"first\",\"type\":\"echo\",\"payload\":{\"n\":1}}");
        submit("{\"id\":\"second\",\"type\":\"echo\",\"dependsOn\":[\"first\"]}");

        JsonNode done = awaitState("second", "SUCCEEDED");

        assertThat(done.get("dependsOn").get(0).get("state").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aDependencyOnAnUnknownTask_isA400_namingIt() throws Exception {
        HttpResponse<String> r =
                server.post(
                        "/v1/tasks",
                        "{\"id\":\"lost\",\"type\":\"echo\",\"dependsOn\":[\"never-submitted\"]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("field").asText()).isEqualTo("dependsOn");
        assertThat(json(r).get("message").asText()).contains("never-submitted");
        assertThat(server.get("/v1/tasks/lost").statusCode()).isEqualTo(404);
    }

    @Test
    void aDependencyOnItself_isA400() throws Exception {
        HttpResponse<String> r =
                server.post(
                        "/v1/tasks", "{\"id\":\"me\",\"type\":\"echo\",\"dependsOn\":[\"me\"]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("message").asText()).contains("names the task itself");
    }
}
