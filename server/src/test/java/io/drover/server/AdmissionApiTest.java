package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Admission control: a cap on live tasks, answered with 429 and nothing written. */
class AdmissionApiTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private ServerHarness server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return DroverJson.mapper().readTree(r.body());
    }

    private HttpResponse<String> submit(String type) throws Exception {
        return server.post("/v1/tasks", "{\"type\":\"" + type + "\"}");
    }

    @Test
    void overTheCap_429QuotaExceeded_withRetryAfter_andNothingWritten() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "admit-cap", c -> c.api.maxLiveTasks = 3);
        for (int i = 0; i < 3; i++) {
            assertThat(submit("nobody-runs-this").statusCode()).isEqualTo(201);
        }

        HttpResponse<String> over = submit("nobody-runs-this");

        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.headers().firstValue("Retry-After")).contains("1");
        JsonNode error = json(over);
        assertThat(error.get("error").asText()).isEqualTo("quota_exceeded");
        assertThat(error.get("retryable").asBoolean()).isTrue();
        assertThat(error.get("message").asText())
                .isEqualTo(
                        "the cluster has 3 live tasks and takes at most 3; retry once some have"
                                + " ended");
        assertThat(json(server.get("/v1/tasks")).get("tasks")).as("nothing written").hasSize(3);
    }

    /** A flood meets 429s, the cluster keeps serving, and what was accepted all runs. */
    @Test
    void flood_getsBackPressure_everyAcceptedTaskSucceeds_andRoomComesBack() throws Exception {
        server =
                ServerHarness.start(
                        ZK.connectString(), "admit-flood", c -> c.api.maxLiveTasks = 20);
        server.startWorker("w1", 4);
        List<String> accepted = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> r =
                    server.post("/v1/tasks", "{\"type\":\"sleep\",\"payload\":{\"ms\":20}}");
            if (r.statusCode() == 201) {
                accepted.add(json(r).get("id").asText());
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                refused++;
            }
        }
        assertThat(refused).as("the flood met back-pressure").isPositive();
        assertThat(server.get("/v1/cluster").statusCode()).isEqualTo(200);

        for (String id : accepted) {
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> json(server.get("/v1/tasks/" + id)).path("state").asText(),
                            "SUCCEEDED"::equals);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> submit("sleep").statusCode() == 201); // once the count is refreshed
    }
}
