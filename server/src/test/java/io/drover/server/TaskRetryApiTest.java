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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /v1/tasks/{id}/retry} and the attempt history in {@code GET /v1/tasks/{id}}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskRetryApiTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private ServerHarness server;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "api-retry");
        server.startWorker("worker-1", 4);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return DroverJson.mapper().readTree(r.body());
    }

    private String submit(String body) throws Exception {
        HttpResponse<String> r = server.post("/v1/tasks", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    private JsonNode awaitState(String id, String state) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> json(server.get("/v1/tasks/" + id)),
                        t -> t.path("state").asText().equals(state));
    }

    private HttpResponse<String> retry(String id) throws Exception {
        return server.post("/v1/tasks/" + id + "/retry", null);
    }

    @Test
    void retryOfAFailedTask_runsAgainAsSeriesTwo_andTheHistoryKeepsBothSeries() throws Exception {
        String id = submit("{\"type\":\"fail\",\"maxAttempts\":2}");
        JsonNode failed = awaitState(id, "FAILED");
        assertThat(failed.get("attempts"))
                .extracting(a -> a.get("outcome").asText())
                .containsExactly("FAILED", "FAILED");

        HttpResponse<String> r = retry(id);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("state").asText()).isEqualTo("PENDING");
        assertThat(json(r).get("series").asInt()).isEqualTo(2);
        assertThat(json(r).get("maxAttempts").asInt()).isEqualTo(2);
        JsonNode again =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () -> json(server.get("/v1/tasks/" + id)),
                                t ->
                                        t.path("state").asText().equals("FAILED")
                                                && t.path("attempts").size() == 4);
        assertThat(again.get("series").asInt()).isEqualTo(2);
        assertThat(again.get("attempt").asInt())
                .as("maxAttempts applied afresh to the new series")
                .isEqualTo(2);
        List<String> rows = new ArrayList<>();
        again.get("attempts")
                .forEach(
                        a ->
                                rows.add(
                                        a.get("series").asInt()
                                                + "/"
                                                + a.get("attempt").asInt()
                                                + " "
                                                + a.get("worker").asText()
                                                + " "
                                                + a.get("outcome").asText()));
        assertThat(rows)
                .containsExactly(
                        "1/1 worker-1 FAILED",
                        "1/2 worker-1 FAILED",
                        "2/1 worker-1 FAILED",
                        "2/2 worker-1 FAILED");
        JsonNode last = again.get("attempts").get(3);
        assertThat(last.get("error").asText()).contains("fail handler failed attempt 2");
        assertThat(last.get("fencingToken").asLong()).isEqualTo(again.get("fencingToken").asLong());
        assertThat(last.get("endedAtMs").asLong())
                .isGreaterThanOrEqualTo(last.get("startedAtMs").asLong());
        JsonNode listed = json(server.get("/v1/tasks?state=FAILED&type=fail")).get("tasks");
        assertThat(listed).allSatisfy(t -> assertThat(t.has("attempts")).isFalse());
    }

    @Test
    void retryOfASucceededTask_is409_ofAnUnknownTask404_ofABadId400() throws Exception {
        String id = submit("{\"type\":\"noop\"}");
        awaitState(id, "SUCCEEDED");

        HttpResponse<String> succeeded = retry(id);
        HttpResponse<String> unknown = retry("no-such-task");
        HttpResponse<String> bad = retry("bad$id");

        assertThat(succeeded.statusCode()).isEqualTo(409);
        assertThat(json(succeeded).get("error").asText()).isEqualTo("conflict");
        assertThat(json(succeeded).get("message").asText())
                .isEqualTo(
                        "task "
                                + id
                                + " is SUCCEEDED: only a FAILED or CANCELLED task can be retried");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("message").asText()).isEqualTo("no task with id no-such-task");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("field").asText()).isEqualTo("id");
    }

    @Test
    void concurrentRetriesOfOneCancelledTask_exactlyOneWins() throws Exception {
        // Nobody serves "parked": once re-run the task stays PENDING, so a late retry cannot find
        // it ended again and win a second time.
        String id = submit("{\"type\":\"parked\"}");
        assertThat(server.post("/v1/tasks/" + id + "/cancel", null).statusCode()).isEqualTo(202);
        awaitState(id, "CANCELLED");
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                answers.add(
                        CompletableFuture.supplyAsync(
                                () -> {
                                    try {
                                        go.await();
                                        return retry(id).statusCode();
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                },
                                pool));
            }
            go.countDown();
            List<Integer> codes = answers.stream().map(CompletableFuture::join).toList();

            assertThat(codes).containsOnly(200, 409);
            assertThat(codes.stream().filter(c -> c == 200)).hasSize(1);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        JsonNode task = json(server.get("/v1/tasks/" + id));
        assertThat(task.get("state").asText()).isEqualTo("PENDING");
        assertThat(task.get("series").asInt()).isEqualTo(2);
        assertThat(task.get("waitingFor").asText()).startsWith("NO_CAPABLE_WORKER");
    }
}
