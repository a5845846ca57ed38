package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CoordinatorApiTest {
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

    private JsonNode awaitState(String id, String state) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> json(server.get("/v1/tasks/" + id)),
                        t -> t.path("state").asText().equals(state));
    }

    @Test
    void submittedTask_runsOnAWorker_andShowsItsResult() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "api-run");
        server.startWorker("w1", 2);

        HttpResponse<String> created =
                server.post(
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"payload\":{\"n\":7},\"priority\":3,\"labels\":{}}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = json(created).get("id").asText();
        assertThat(created.headers().firstValue("Location").orElseThrow())
                .endsWith("/v1/tasks/" + id);

        JsonNode done = awaitState(id, "SUCCEEDED");
        assertThat(done.get("result").get("n").asInt()).isEqualTo(7);
        assertThat(done.get("worker").asText()).isEqualTo("w1");
        assertThat(done.get("attempt").asInt()).isEqualTo(1);
        assertThat(done.get("priority").asInt()).isEqualTo(3);

        JsonNode listed = json(server.get("/v1/tasks?state=SUCCEEDED")).get("tasks").get(0);
        assertThat(listed.get("id").asText()).isEqualTo(id);
        assertThat(listed.has("result")).as("lists leave results out").isFalse();
    }

    @Test
    void sameIdempotencyKey_sameTask_isAcceptedOnce_differentSpec_is409() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "api-idem");
        HttpResponse<String> first =
                server.post("/v1/tasks", "{\"type\":\"noop\",\"idempotencyKey\":\"order-17\"}");
        HttpResponse<String> again =
                server.post("/v1/tasks", "{\"type\":\"noop\",\"idempotencyKey\":\"order-17\"}");
        HttpResponse<String> clash =
                server.post(
                        "/v1/tasks",
                        "{\"type\":\"noop\",\"idempotencyKey\":\"order-17\",\"priority\":9}");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("id").asText()).isEqualTo(json(first).get("id").asText());
        assertThat(json(again).get("created").asBoolean()).isFalse();
        assertThat(clash.statusCode()).isEqualTo(409);
        assertThat(json(clash).get("error").asText()).isEqualTo("conflict");
    }

    @Test
    void batch_withOneBadTask_writesNothing_andNamesIt_thenAGoodBatchRuns() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "api-batch");
        HttpResponse<String> bad =
                server.post(
                        "/v1/tasks/batch",
                        "{\"tasks\":[{\"type\":\"noop\",\"id\":\"b-1\"},{\"type\":\"noop\",\"maxAttempts\":0}]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("field").asText()).isEqualTo("tasks[1].maxAttempts");
        assertThat(server.get("/v1/tasks/b-1").statusCode()).isEqualTo(404);

        server.startWorker("w1", 4);
        StringBuilder body = new StringBuilder("{\"tasks\":[");
        for (int i = 0; i < 25; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"noop\",\"id\":\"b-")
                    .append(i)
                    .append("\"}");
        }
        HttpResponse<String> ok = server.post("/v1/tasks/batch", body.append("]}").toString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).get("accepted").asInt()).isEqualTo(25);
        for (int i = 0; i < 25; i++) {
            awaitState("b-" + i, "SUCCEEDED");
        }
    }

    @Test
    void listing_filtersByStateAndType_andPagesThroughEverything() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "api-list");
        StringBuilder body = new StringBuilder("{\"tasks\":[");
        for (int i = 0; i < 30; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"")
                    .append(i % 3 == 0 ? "echo" : "noop")
                    .append("\",\"id\":\"l-")
                    .append(i)
                    .append("\"}");
        }
        assertThat(server.post("/v1/tasks/batch", body.append("]}").toString()).statusCode())
                .isEqualTo(200);

        Set<String> seen = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page =
                    json(
                            server.get(
                                    "/v1/tasks?state=pending&limit=7"
                                            + (token == null ? "" : "&pageToken=" + token)));
            page.get("tasks")
                    .forEach(
                            t -> {
                                assertThat(t.get("state").asText()).isEqualTo("PENDING");
                                assertThat(seen.add(t.get("id").asText()))
                                        .as("no task twice")
                                        .isTrue();
                            });
            token = page.hasNonNull("nextPageToken") ? page.get("nextPageToken").asText() : null;
            pages++;
        } while (token != null);
        assertThat(seen).hasSize(30);
        assertThat(pages).isGreaterThanOrEqualTo(5);

        JsonNode echoes = json(server.get("/v1/tasks?type=echo&limit=1000"));
        assertThat(echoes.get("tasks")).hasSize(10);
        assertThat(json(server.get("/v1/tasks?state=RUNNING")).get("tasks")).isEmpty();
    }

    @Test
    void cancel_pendingTask_endsCancelled_andSecondCancelSaysAlreadyTerminal() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "api-cancel");
        String id =
                json(server.post("/v1/tasks", "{\"type\":\"noop\",\"id\":\"c-1\"}"))
                        .get("id")
                        .asText();
        JsonNode pending = json(server.get("/v1/tasks/c-1"));
        assertThat(pending.get("waitingFor").asText()).startsWith("NO_CAPABLE_WORKER");

        HttpResponse<String> cancel = server.post("/v1/tasks/" + id + "/cancel", null);
        assertThat(cancel.statusCode()).isEqualTo(202);
        awaitState(id, "CANCELLED");
        HttpResponse<String> again = server.post("/v1/tasks/" + id + "/cancel", null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).get("outcome").asText()).isEqualTo("ALREADY_TERMINAL");
        assertThat(server.post("/v1/tasks/nope/cancel", null).statusCode()).isEqualTo(404);
    }

    @Test
    void drain_overTheApi_workerTakesNothingNew_finishesItsTask_thenLeaves() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "api-drain");
        var w1 = server.startWorker("w1", 2);
        server.post("/v1/tasks", "{\"type\":\"sleep\",\"id\":\"long\",\"payload\":{\"ms\":1500}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> w1.runningCount() == 1);
        server.startWorker("w2", 2);

        HttpResponse<String> drain = server.post("/v1/workers/w1/drain", null);
        assertThat(drain.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                json(server.get("/v1/workers/w1"))
                                        .get("state")
                                        .asText()
                                        .equals("DRAINING"));
        for (int i = 0; i < 10; i++) {
            server.post("/v1/tasks", "{\"type\":\"noop\",\"id\":\"d-" + i + "\"}");
        }
        for (int i = 0; i < 10; i++) {
            assertThat(awaitState("d-" + i, "SUCCEEDED").get("worker").asText())
                    .as("nothing new for a draining worker")
                    .isEqualTo("w2");
        }
        JsonNode finished = awaitState("long", "SUCCEEDED");
        assertThat(finished.get("worker").asText()).as("it finished what it ran").isEqualTo("w1");
        assertThat(finished.get("attempt").asInt()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.get("/v1/workers/w1").statusCode() == 404); // drained: it left
        assertThat(server.post("/v1/workers/w1/drain", null).statusCode()).isEqualTo(404);
        assertThat(server.post("/v1/workers/ghost/drain", null).statusCode()).isEqualTo(404);

        JsonNode cluster = json(server.get("/v1/cluster"));
        assertThat(cluster.get("leader").asText()).isEqualTo("coordinator-api-drain");
        assertThat(cluster.get("epoch").asLong()).isPositive();
        assertThat(cluster.get("workers").asInt()).isEqualTo(1);
        assertThat(cluster.get("tasks").get("finished").asLong()).isEqualTo(11);
        JsonNode workers = json(server.get("/v1/workers")).get("workers");
        assertThat(workers).extracting(w -> w.get("id").asText()).containsExactly("w2");
    }

    @Test
    void drain_ofAWorkerWhoseTaskOutlastsTheGrace_handsItBack_andTheTaskRunsElsewhere()
            throws Exception {
        server = ServerHarness.start(ZK.connectString(), "api-drain-grace");
        var w1 = server.startWorker("w1", 1, b -> b.drainGrace(Duration.ofMillis(300)));
        server.post(
                "/v1/tasks", "{\"type\":\"sleep\",\"id\":\"slow\",\"payload\":{\"ms\":600000}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> w1.runningCount() == 1);
        server.startWorker("w2", 1);

        assertThat(server.post("/v1/workers/w1/drain", null).statusCode()).isEqualTo(202);

        JsonNode moved =
                await().atMost(Duration.ofSeconds(30))
                        .until(
                                () -> json(server.get("/v1/tasks/slow")),
                                t ->
                                        t.path("state").asText().equals("RUNNING")
                                                && t.path("worker").asText().equals("w2"));
        assertThat(moved.get("attempt").asInt())
                .as("a hand-back is not a failed attempt")
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.get("/v1/workers/w1").statusCode() == 404);
    }

    @Test
    void openApiDocument_describesEveryResourceMethod() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "api-doc");
        HttpResponse<String> doc = server.get("/v1/openapi.yaml");
        assertThat(doc.statusCode()).isEqualTo(200);
        JsonNode paths =
                new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                        .readTree(doc.body())
                        .get("paths");
        Set<String> described = new HashSet<>();
        paths.properties()
                .forEach(
                        p ->
                                p.getValue()
                                        .fieldNames()
                                        .forEachRemaining(
                                                m ->
                                                        described.add(
                                                                m.toUpperCase()
                                                                        + " "
                                                                        + p.getKey())));

        Set<String> served = new HashSet<>();
        for (Class<?> resource :
                new Class<?>[] {
                    io.drover.server.internal.http.TasksResource.class,
                    io.drover.server.internal.http.TaskActionsResource.class,
                    io.drover.server.internal.http.GraphsResource.class,
                    io.drover.server.internal.http.TaskLookupResource.class,
                    io.drover.server.internal.http.EventsResource.class,
                    io.drover.server.internal.http.WorkersResource.class,
                    io.drover.server.internal.http.ItemsResource.class,
                    io.drover.server.internal.http.ClusterResource.class,
                    io.drover.server.internal.http.TypesResource.class,
                    io.drover.server.internal.http.SchedulesResource.class,
                    io.drover.server.internal.http.OpenApiResource.class,
                    io.drover.server.internal.http.SessionResource.class
                }) {
            String base = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            for (var m : resource.getMethods()) {
                String verb = null;
                for (var a : m.getAnnotations()) {
                    jakarta.ws.rs.HttpMethod http =
                            a.annotationType().getAnnotation(jakarta.ws.rs.HttpMethod.class);
                    verb = http != null ? http.value() : verb; // GET, POST, PUT, DELETE...
                }
                if (verb != null) {
                    jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                    served.add(verb + " " + base + (sub == null ? "" : "/" + sub.value()));
                }
            }
        }
        assertThat(described).containsExactlyInAnyOrderElementsOf(served);
    }

    @Test
    void adminPort_servesHealthAndPrometheusMetrics() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "api-admin");
        server.post("/v1/tasks", "{\"type\":\"noop\"}");
        var http = java.net.http.HttpClient.newHttpClient();
        HttpResponse<String> health =
                http.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(server.adminUrl() + "/healthcheck"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("zookeeper").get("healthy").asBoolean()).isTrue();
        assertThat(json(health).get("coordinator").get("message").asText())
                .startsWith("leader, epoch");

        HttpResponse<String> prom =
                http.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(server.adminUrl() + "/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(prom.headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/plain; version=0.0.4");
        assertThat(prom.body())
                .contains("# TYPE drover_coordinator_leader gauge\ndrover_coordinator_leader 1.0\n")
                .contains("drover_api_tasks_submitted_total{type=\"noop\"} 1.0\n")
                .containsPattern("(?m)^jvm_memory_used_bytes\\{area=\"heap\"} \\S+$");

        HttpResponse<String> dropwizard =
                http.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(server.adminUrl() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(
                        json(dropwizard)
                                .get("timers")
                                .has("io.dropwizard.jetty.MutableServletContextHandler.requests"))
                .as("Jetty's request metrics stay on /metrics")
                .isTrue();
    }
}
