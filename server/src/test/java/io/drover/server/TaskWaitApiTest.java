package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Request/response over HTTP: {@code ?wait=} on submit and on the task's read. */
class TaskWaitApiTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private ServerHarness server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ServerHarness start(Consumer<CoordinatorServerConfig> tweak) throws Exception {
        server = ServerHarness.start(ZK.connectString(), ZK.uniqueCluster(), tweak);
        return server;
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return DroverJson.mapper().readTree(r.body());
    }

    private CompletableFuture<HttpResponse<String>> inBackground(String method, String path) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return method.equals("GET")
                                ? server.get(path)
                                : server.post(path, "{\"type\":\"nobody-runs-this\"}");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    @Test
    void submitWithWait_ofATaskAWorkerFinishes_answers200WithItsResult() throws Exception {
        start(c -> {}).startWorker("w1", 2);

        HttpResponse<String> r =
                server.post("/v1/tasks?wait=30s", "{\"type\":\"echo\",\"payload\":{\"n\":7}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode task = json(r);
        assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(task.get("result").get("n").asInt()).isEqualTo(7);
        assertThat(task.get("worker").asText()).isEqualTo("w1");
        assertThat(r.headers().firstValue("Location").orElseThrow())
                .endsWith("/v1/tasks/" + task.get("id").asText());
    }

    @Test
    void submitWithWait_ofATaskNoWorkerHandles_answers202WithTheTaskAsItIs() throws Exception {
        start(c -> {});

        HttpResponse<String> r =
                server.post("/v1/tasks?wait=300ms", "{\"type\":\"nobody-runs-this\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode task = json(r);
        assertThat(task.get("state").asText()).isEqualTo("PENDING");
        assertThat(task.get("waitingFor").asText()).startsWith("NO_CAPABLE_WORKER");
        assertThat(r.headers().firstValue("Location").orElseThrow())
                .endsWith("/v1/tasks/" + task.get("id").asText());
    }

    @Test
    void submitWithWait_ofAFailingTask_answers200WithStateFailedAndTheError() throws Exception {
        start(c -> {}).startWorker("w1", 2);

        HttpResponse<String> r =
                server.post("/v1/tasks?wait=30s", "{\"type\":\"fail\",\"maxAttempts\":1}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode task = json(r);
        assertThat(task.get("state").asText()).isEqualTo("FAILED");
        assertThat(task.get("error").asText()).contains("fail handler failed attempt 1");
        assertThat(task.has("result")).isFalse();
    }

    @Test
    void aBadWait_is400NamingWait_andWritesNothing() throws Exception {
        start(c -> {});
        for (String bad : new String[] {"soon", "-1s", "30", "1y", "99999999999999999999s"}) {
            HttpResponse<String> submit =
                    server.post("/v1/tasks?wait=" + bad, "{\"id\":\"never\",\"type\":\"echo\"}");
            assertThat(submit.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(submit).get("field").asText()).isEqualTo("wait");
            assertThat(json(submit).get("message").asText()).startsWith("wait: must be a duration");

            HttpResponse<String> read = server.get("/v1/tasks/never?wait=" + bad);
            assertThat(read.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(read).get("field").asText()).isEqualTo("wait");
        }
        assertThat(server.get("/v1/tasks/never").statusCode()).isEqualTo(404);
        // a bad id is refused at once, not after the wait
        HttpResponse<String> badId = server.get("/v1/tasks/not%20an%20id?wait=60s");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(json(badId).get("field").asText()).isEqualTo("id");
    }

    @Test
    void getWithWait_answersAsSoonAsTheTaskEnds() throws Exception {
        start(c -> {});
        String id =
                json(server.post("/v1/tasks", "{\"type\":\"echo\",\"payload\":1}"))
                        .get("id")
                        .asText();
        CompletableFuture<HttpResponse<String>> waiting =
                inBackground("GET", "/v1/tasks/" + id + "?wait=60s");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.app().taskWaits().waiting() == 1);

        server.startWorker("w1", 1);

        // well before the 60 s it asked for: the end answered it, not the wait running out
        HttpResponse<String> r = waiting.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(json(r).get("result").asInt()).isEqualTo(1);
        assertThat(server.app().taskWaits().waiting()).isZero();
    }

    @Test
    void getWithWait_ofATaskThatDoesNotEnd_answers200WithTheTaskWhenTheWaitRunsOut()
            throws Exception {
        start(c -> {});
        String id =
                json(server.post("/v1/tasks", "{\"type\":\"nobody-runs-this\"}"))
                        .get("id")
                        .asText();

        HttpResponse<String> r = server.get("/v1/tasks/" + id + "?wait=200ms");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("state").asText()).isEqualTo("PENDING");
        assertThat(server.get("/v1/tasks/nobody?wait=200ms").statusCode()).isEqualTo(404);
    }

    @Test
    void waitsBeyondTheBound_answerAtOnceAsIfTheWaitRanOut() throws Exception {
        start(c -> c.api.maxWaiters = 1);
        CompletableFuture<HttpResponse<String>> first = inBackground("POST", "/v1/tasks?wait=60s");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.app().taskWaits().waiting() == 1);

        long start = System.nanoTime();
        HttpResponse<String> second = server.post("/v1/tasks?wait=60s", "{\"type\":\"noop\"}");

        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(json(second).get("state").asText()).isEqualTo("PENDING");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(first).isNotDone();
    }

    @Test
    void waitingRequests_areAnsweredWhenTheServerStops_andCostNoWatchEach() throws Exception {
        start(c -> {});
        long before = ZK.watchCount();
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiting.add(inBackground("POST", "/v1/tasks?wait=60s"));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.app().taskWaits().waiting() == 10);
        // ten waits would be ten watches (at least) if each cost one; the coordinator may add one
        assertThat(ZK.watchCount()).isBetween(before, before + 2);
        String metrics =
                server.send(
                                java.net.http.HttpRequest.newBuilder(
                                                java.net.URI.create(
                                                        server.adminUrl() + "/prometheus"))
                                        .build())
                        .body();
        assertThat(metrics).contains("drover_api_task_waits 10.0");

        server.close();
        server = null;

        for (CompletableFuture<HttpResponse<String>> w : waiting) {
            HttpResponse<String> r = w.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(json(r).get("state").asText()).isEqualTo("PENDING");
        }
    }

    @Test
    void aWaitLongerThanTheConnectionsIdleTimeout_stillGetsItsAnswer() throws Exception {
        start(
                c ->
                        ((HttpConnectorFactory)
                                        ((DefaultServerFactory) c.getServerFactory())
                                                .getApplicationConnectors()
                                                .get(0))
                                .setIdleTimeout(io.dropwizard.util.Duration.milliseconds(500)));

        HttpResponse<String> r =
                server.post("/v1/tasks?wait=2s", "{\"type\":\"nobody-runs-this\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    @Test
    void aWaitOverTheMaximum_isCutToIt() throws Exception {
        start(c -> c.api.maxWait = io.dropwizard.util.Duration.milliseconds(200));

        HttpResponse<String> r =
                server.post("/v1/tasks?wait=10m", "{\"type\":\"nobody-runs-this\"}");

        assertThat(r.statusCode()).isEqualTo(202);
    }
}
