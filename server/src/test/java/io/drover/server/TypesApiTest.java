package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /v1/types} against a real coordinator server, leader and ZooKeeper: policies put, read,
 * replaced at a version and deleted, bad input, breaker states and the leader's counts. Each test
 * uses its own type names on one server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypesApiTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private ServerHarness server;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "types");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private HttpResponse<String> put(String type, String body) throws Exception {
        return server.send("PUT", "/v1/types/" + type, "application/json", body);
    }

    private HttpResponse<String> withIfMatch(
            String method, String type, String ifMatch, String body) throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create(server.url() + "/v1/types/" + type))
                        .header("Content-Type", "application/json")
                        .header("If-Match", ifMatch)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        return server.send(r.build());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return DroverJson.mapper().readTree(r.body());
    }

    @Test
    void putNewPolicy_is201WithLocationAndETag_andGetAndListShowIt() throws Exception {
        HttpResponse<String> r =
                put(
                        "resize",
                        "{\"maxConcurrent\":3,\"maxLiveTasks\":500,\"breaker\":"
                                + "{\"failureRateThreshold\":0.5,\"windowSize\":20,"
                                + "\"minCalls\":10,\"openMs\":30000}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/v1/types/resize");
        assertThat(r.headers().firstValue("ETag")).hasValue("\"0\"");
        JsonNode type = json(r);
        assertThat(type.get("type").asText()).isEqualTo("resize");
        assertThat(type.get("policyVersion").asInt()).isZero();
        JsonNode policy = type.get("policy");
        assertThat(policy.get("maxConcurrent").asInt()).isEqualTo(3);
        assertThat(policy.get("maxLiveTasks").asLong()).isEqualTo(500);
        assertThat(policy.get("breaker").get("failureRateThreshold").asDouble()).isEqualTo(0.5);
        assertThat(policy.get("breaker").get("openMs").asLong()).isEqualTo(30_000);
        assertThat(policy.has("v")).as("the storage format's version stays inside").isFalse();
        assertThat(type.get("breaker").isNull()).as("never tripped: null, not absent").isTrue();

        HttpResponse<String> got = server.get("/v1/types/resize");
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("ETag")).hasValue("\"0\"");
        assertThat(json(got).get("policy")).isEqualTo(policy);
        List<String> listed = new ArrayList<>();
        json(server.get("/v1/types")).get("types").forEach(t -> listed.add(t.get("type").asText()));
        assertThat(listed).contains("resize").isSorted();
    }

    @Test
    void putReplacesTheWholePolicy_andIfMatchGuardsAgainstLostUpdates() throws Exception {
        assertThat(put("thumb", "{\"maxConcurrent\":2,\"maxLiveTasks\":9}").statusCode())
                .isEqualTo(201);

        HttpResponse<String> replaced =
                withIfMatch("PUT", "thumb", "\"0\"", "{\"maxConcurrent\":5}");
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.headers().firstValue("ETag")).hasValue("\"1\"");
        assertThat(json(replaced).get("policy").get("maxLiveTasks").asLong())
                .as("left out: no cap, not the old one")
                .isZero();

        HttpResponse<String> stale = withIfMatch("PUT", "thumb", "\"0\"", "{\"maxConcurrent\":7}");
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(json(stale).get("error").asText()).isEqualTo("precondition_failed");
        assertThat(json(stale).get("field").asText()).isEqualTo("If-Match");
        assertThat(json(stale).get("message").asText()).contains("is at version 1, not \"0\"");
        assertThat(json(server.get("/v1/types/thumb")).get("policy").get("maxConcurrent").asInt())
                .as("the stale write changed nothing")
                .isEqualTo(5);

        HttpResponse<String> nothingToMatch =
                withIfMatch("PUT", "never-set", "*", "{\"maxConcurrent\":1}");
        assertThat(nothingToMatch.statusCode()).isEqualTo(412);
        assertThat(json(nothingToMatch).get("message").asText()).contains("does not exist");
        HttpResponse<String> createOnly =
                server.send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/v1/types/thumb"))
                                .header("Content-Type", "application/json")
                                .header("If-None-Match", "*")
                                .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                                .build());
        assertThat(createOnly.statusCode()).isEqualTo(412);
        assertThat(json(createOnly).get("field").asText()).isEqualTo("If-None-Match");
        assertThat(json(createOnly).get("message").asText()).contains("exists already (version 1)");
        assertThat(withIfMatch("DELETE", "thumb", "\"0\"", null).statusCode()).isEqualTo(412);
        assertThat(withIfMatch("DELETE", "thumb", "1", null).statusCode()).isEqualTo(200);
        assertThat(server.get("/v1/types/thumb").statusCode()).isEqualTo(404);
    }

    @Test
    void badInput_is400NamingTheField_andWritesNothing() throws Exception {
        assertBad(put("bad", "{\"maxConcurrent\":-1}"), "invalid_field", "maxConcurrent");
        assertBad(put("bad", "{\"maxLiveTasks\":100000001}"), "invalid_field", "maxLiveTasks");
        assertBad(
                put(
                        "bad",
                        "{\"breaker\":{\"failureRateThreshold\":0.5,\"windowSize\":0,"
                                + "\"minCalls\":1,\"openMs\":1000}}"),
                "invalid_field",
                "breaker.windowSize");
        assertBad(
                put("bad", "{\"breaker\":{\"windowSize\":10,\"minCalls\":1,\"openMs\":1000}}"),
                "invalid_field",
                "breaker.failureRateThreshold");
        assertBad(put("bad", "{\"maxConcurent\":1}"), "unknown_field", "maxConcurent");
        assertBad(put("bad", "{\"maxConcurrent\":\"four\"}"), "invalid_field", "maxConcurrent");
        assertBad(put("bad", ""), "invalid_field", "body");
        assertBad(put("-bad", "{}"), "invalid_field", "type");
        assertBad(withIfMatch("PUT", "bad", "yesterday", "{}"), "invalid_field", "If-Match");

        assertThat(server.get("/v1/types/bad").statusCode()).isEqualTo(404);
    }

    private static void assertBad(HttpResponse<String> r, String error, String field)
            throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).as(r.body()).isEqualTo(error);
        assertThat(json(r).get("field").asText()).as(r.body()).isEqualTo(field);
    }

    @Test
    void unknownType_is404SayingWhy_andDeletingAPolicyTwiceIs404TheSecondTime() throws Exception {
        HttpResponse<String> unknown = server.get("/v1/types/nobody-knows");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).isEqualTo("not_found");
        assertThat(json(unknown).get("message").asText())
                .isEqualTo(
                        "type nobody-knows has no policy, no breaker state and no task not yet"
                                + " ended; GET /v1/types lists the known ones");

        assertThat(put("short-lived", "{}").statusCode()).isEqualTo(201);
        HttpResponse<String> deleted = server.send("DELETE", "/v1/types/short-lived", null, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).get("deleted").asBoolean()).isTrue();
        HttpResponse<String> again = server.send("DELETE", "/v1/types/short-lived", null, null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(json(again).get("message").asText()).contains("short-lived has no policy");
    }

    @Test
    void aTypeWithTasksButNoPolicy_isListedWithTheLeadersCounts() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(server.post("/v1/tasks", "{\"type\":\"parked\"}").statusCode())
                    .isEqualTo(201);
        }

        // Nobody runs "parked"; the leader publishes its count within a second or so.
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> server.get("/v1/types/parked").statusCode() == 200);
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> json(server.get("/v1/types/parked")).path("pending").asLong() == 3);
        JsonNode parked = json(server.get("/v1/types/parked"));
        assertThat(parked.get("policy").isNull()).isTrue();
        assertThat(parked.has("policyVersion")).isFalse();
        assertThat(parked.get("running").asLong()).isZero();
        assertThat(server.get("/v1/types/parked").headers().firstValue("ETag")).isEmpty();
    }

    @Test
    void aBreakerSetAtRuntime_opens_andTheTypeShowsItOpenUntilItsTimeIsUp() throws Exception {
        HttpResponse<String> r =
                put(
                        "fail",
                        "{\"breaker\":{\"failureRateThreshold\":0.5,\"windowSize\":2,"
                                + "\"minCalls\":2,\"openMs\":600000}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        server.startWorker("breaker-worker", 2);

        for (int i = 0; i < 2; i++) {
            server.post("/v1/tasks", "{\"type\":\"fail\",\"maxAttempts\":1}");
        }

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !json(server.get("/v1/types/fail")).get("breaker").isNull());
        JsonNode breaker = json(server.get("/v1/types/fail")).get("breaker");
        assertThat(breaker.get("state").asText()).isEqualTo("OPEN");
        assertThat(breaker.get("failureRate").asDouble()).isEqualTo(1.0);
        assertThat(breaker.get("openUntilMs").asLong())
                .isGreaterThan(System.currentTimeMillis() + 500_000);
        assertThat(breaker.get("changedAtMs").asLong()).isPositive();
    }

    @Test
    void rateLimitAndBreakerFallback_areStoredAndShown_badOnesAre400NamingTheField()
            throws Exception {
        HttpResponse<String> r =
                put(
                        "pdf",
                        "{\"rateLimit\":{\"perSecond\":2.5,\"burst\":5},\"whenOpen\":\"FALLBACK\","
                                + "\"fallbackType\":\"pdf-lite\",\"breaker\":{\"failureRateThreshold\":0.5,"
                                + "\"windowSize\":20,\"minCalls\":10,\"openMs\":30000}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode policy = json(server.get("/v1/types/pdf")).get("policy");
        assertThat(policy.get("rateLimit").get("perSecond").asDouble()).isEqualTo(2.5);
        assertThat(policy.get("rateLimit").get("burst").asInt()).isEqualTo(5);
        assertThat(policy.get("whenOpen").asText()).isEqualTo("FALLBACK");
        assertThat(policy.get("fallbackType").asText()).isEqualTo("pdf-lite");
        assertThat(json(put("plain-pdf", "{}")).get("policy").get("whenOpen").asText())
                .as("absent means WAIT")
                .isEqualTo("WAIT");

        String breaker =
                "\"breaker\":{\"failureRateThreshold\":0.5,\"windowSize\":2,\"minCalls\":2,"
                        + "\"openMs\":1000}";
        assertBad(
                put("bad", "{\"rateLimit\":{\"perSecond\":-5,\"burst\":1}}"),
                "invalid_field",
                "rateLimit.perSecond");
        assertBad(
                put("bad", "{\"rateLimit\":{\"perSecond\":5,\"burst\":0}}"),
                "invalid_field",
                "rateLimit.burst");
        assertBad(put("bad", "{\"whenOpen\":\"FAIL_FAST\"}"), "invalid_field", "whenOpen");
        assertBad(
                put("bad", "{\"whenOpen\":\"FALLBACK\"," + breaker + "}"),
                "invalid_field",
                "fallbackType");
        assertBad(
                put("bad", "{\"whenOpen\":\"FALLBACK\",\"fallbackType\":\"bad\"," + breaker + "}"),
                "invalid_field",
                "fallbackType");
        assertBad(
                put("bad", "{\"whenOpen\":\"FALLBACK\",\"fallbackType\":\"-x\"," + breaker + "}"),
                "invalid_field",
                "fallbackType");
        assertBad(
                put("bad", "{\"whenOpen\":\"SOMETIMES\"," + breaker + "}"),
                "invalid_field",
                "whenOpen");
        HttpResponse<String> toItself =
                put("bad", "{\"whenOpen\":\"FALLBACK\",\"fallbackType\":\"bad\"," + breaker + "}");
        assertThat(json(toItself).get("message").asText())
                .isEqualTo("fallbackType: must be another type than bad itself");
        assertThat(server.get("/v1/types/bad").statusCode()).isEqualTo(404);
    }

    @Test
    void openBreaker_fallsBackToAnotherHandler_orFailsFast_andTheTaskSaysSo() throws Exception {
        String breaker =
                "\"breaker\":{\"failureRateThreshold\":1.0,\"windowSize\":2,\"minCalls\":2,"
                        + "\"openMs\":600000}";
        put("flaky", "{\"whenOpen\":\"FALLBACK\",\"fallbackType\":\"echo\"," + breaker + "}");
        put("doomed", "{\"whenOpen\":\"FAIL_FAST\"," + breaker + "}");
        server.startWorker(
                "fallback-worker",
                4,
                b ->
                        b.handler(
                                        "flaky",
                                        ctx -> {
                                            throw io.drover.worker.TaskFailedException.permanent(
                                                    "down");
                                        })
                                .handler(
                                        "doomed",
                                        ctx -> {
                                            throw io.drover.worker.TaskFailedException.permanent(
                                                    "down");
                                        }));
        for (String type : List.of("flaky", "doomed")) {
            for (int i = 0; i < 2; i++) {
                server.post("/v1/tasks", "{\"type\":\"" + type + "\",\"maxAttempts\":1}");
            }
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () ->
                                    json(server.get("/v1/types/" + type))
                                            .path("breaker")
                                            .path("state")
                                            .asText()
                                            .equals("OPEN"));
        }

        String ran =
                json(server.post("/v1/tasks", "{\"type\":\"flaky\",\"payload\":{\"n\":7}}"))
                        .get("id")
                        .asText();
        String failed = json(server.post("/v1/tasks", "{\"type\":\"doomed\"}")).get("id").asText();
        JsonNode fallback = awaitEnded(ran);
        JsonNode fast = awaitEnded(failed);

        assertThat(fallback.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(fallback.get("type").asText()).isEqualTo("flaky");
        assertThat(fallback.get("runAs").asText()).isEqualTo("echo");
        assertThat(fallback.get("result").get("n").asInt()).as("echo's handler ran").isEqualTo(7);
        assertThat(fast.get("state").asText()).isEqualTo("FAILED");
        assertThat(fast.get("error").asText())
                .isEqualTo(
                        "circuit breaker of type doomed is open (failure rate 1.0); failing fast");
        assertThat(fast.has("runAs")).isFalse();
        assertThat(fast.get("attempts")).as("no attempt ran").isEmpty();
    }

    private JsonNode awaitEnded(String id) throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () ->
                                List.of("SUCCEEDED", "FAILED", "CANCELLED")
                                        .contains(
                                                json(server.get("/v1/tasks/" + id))
                                                        .get("state")
                                                        .asText()));
        return json(server.get("/v1/tasks/" + id));
    }
}
