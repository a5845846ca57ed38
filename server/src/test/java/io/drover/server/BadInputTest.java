package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.testing.BadRequests;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile requests: each gets the right status and a JSON error (naming the field
 * where there is one), nothing is written to ZooKeeper, and the server goes on serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private static final String BIG = "x".repeat(300_000);

    private ServerHarness server;

    @BeforeAll
    void start() throws Exception {
        server =
                ServerHarness.start(
                        ZK.connectString(),
                        "bad",
                        c -> c.api.maxRequestSize = io.dropwizard.util.DataSize.kibibytes(512));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                // method, path, content type, body, status, error code, field
                bad("POST", "/v1/tasks", "{\"type\":\"echo\"", 400, "malformed_json", null),
                bad("POST", "/v1/tasks", "not json at all", 400, "malformed_json", null),
                bad("POST", "/v1/tasks", "", 400, "invalid_field", "body"),
                bad("POST", "/v1/tasks", "null", 400, "invalid_field", "body"),
                bad("POST", "/v1/tasks", "[1,2,3]", 400, "malformed_json", null),
                bad("POST", "/v1/tasks", "\"echo\"", 400, "malformed_json", null),
                bad("POST", "/v1/tasks", "{}", 400, "invalid_field", "type"),
                bad("POST", "/v1/tasks", "{\"type\":\"\"}", 400, "invalid_field", "type"),
                bad("POST", "/v1/tasks", "{\"type\":42}", 400, "invalid_field", "type"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"../../leader\"}",
                        400,
                        "invalid_field",
                        "type"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"priorty\":1}",
                        400,
                        "unknown_field",
                        "priorty"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"priority\":\"high\"}",
                        400,
                        "invalid_field",
                        "priority"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"priority\":1.5}",
                        400,
                        "invalid_field",
                        "priority"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"priority\":99999999999}",
                        400,
                        "invalid_field",
                        "priority"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"priority\":2000000}",
                        400,
                        "invalid_field",
                        "priority"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"maxAttempts\":0}",
                        400,
                        "invalid_field",
                        "maxAttempts"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"maxAttempts\":-1}",
                        400,
                        "invalid_field",
                        "maxAttempts"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"timeoutMs\":-5}",
                        400,
                        "invalid_field",
                        "timeoutMs"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"id\":\"../../leader/epoch\"}",
                        400,
                        "invalid_field",
                        "id"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"id\":\"a/b\"}",
                        400,
                        "invalid_field",
                        "id"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"id\":\"" + "i".repeat(200) + "\"}",
                        400,
                        "invalid_field",
                        "id"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"id\":\"x\",\"idempotencyKey\":\"k\"}",
                        400,
                        "invalid_field",
                        "id"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"labels\":{\"zone\":null}}",
                        400,
                        "invalid_field",
                        "labels.zone"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"labels\":[\"a\"]}",
                        400,
                        "invalid_field",
                        "labels"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"labels\":{\"bad key\":\"v\"}}",
                        400,
                        "invalid_field",
                        "labels"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"retry\":{\"initialBackoffMs\":10,\"maxBackoffMs\":5,\"multiplier\":2,\"jitter\":true}}",
                        400,
                        "invalid_field",
                        "retry.maxBackoffMs"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"retry\":{\"multiplier\":0.5}}",
                        400,
                        "invalid_field",
                        "retry.multiplier"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"retry\":{\"initialBackoffMs\":\"1s\"}}",
                        400,
                        "invalid_field",
                        "retry.initialBackoffMs"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"labels\":{\"zone\":\"eu 1\"}}",
                        400,
                        "invalid_field",
                        "labels.zone"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"type\":\"noop\"}",
                        400,
                        "malformed_json",
                        null),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\"} {\"type\":\"echo\"}",
                        400,
                        "malformed_json",
                        null),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"payload\":"
                                + "[".repeat(5_000)
                                + "]".repeat(5_000)
                                + "}",
                        400,
                        "malformed_json",
                        null),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"payload\":" + "[".repeat(60) + "]".repeat(60) + "}",
                        400,
                        "invalid_field",
                        "payload"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"payload\":\"" + BIG + "\"}",
                        413,
                        "payload_too_large",
                        "payload"),
                bad(
                        "POST",
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"payload\":\"" + BIG + BIG + "\"}",
                        413,
                        "payload_too_large",
                        null),
                bad("POST", "/v1/tasks/batch", "{\"tasks\":[]}", 400, "invalid_field", "tasks"),
                bad("POST", "/v1/tasks/batch", "{}", 400, "invalid_field", "tasks"),
                bad(
                        "POST",
                        "/v1/tasks/batch",
                        "{\"tasks\":[null]}",
                        400,
                        "invalid_field",
                        "tasks[0]"),
                bad(
                        "POST",
                        "/v1/tasks/batch",
                        "{\"tasks\":[{\"type\":\"echo\"},{\"type\":\"echo\",\"bogus\":1}]}",
                        400,
                        "unknown_field",
                        "tasks[1].bogus"),
                bad(
                        "POST",
                        "/v1/tasks/batch",
                        "{\"tasks\":[{\"type\":\"echo\"},{\"type\":\"e cho\"}]}",
                        400,
                        "invalid_field",
                        "tasks[1].type"),
                bad("GET", "/v1/tasks/does-not-exist", null, 404, "not_found", null),
                bad("GET", "/v1/tasks/..%2F..%2Fleader%2Fepoch", null, 400, null, null),
                bad("GET", "/v1/tasks/a%00b", null, 400, null, null),
                bad("GET", "/v1/tasks/" + "z".repeat(300), null, 400, "invalid_field", "id"),
                bad("GET", "/v1/tasks?state=DONE", null, 400, "invalid_field", "state"),
                bad("GET", "/v1/tasks?limit=0", null, 400, "invalid_field", "limit"),
                bad("GET", "/v1/tasks?limit=abc", null, 400, "invalid_field", "limit"),
                bad("GET", "/v1/tasks?type=../x", null, 400, "invalid_field", "type"),
                bad(
                        "GET",
                        "/v1/tasks?pageToken=not-a-token!",
                        null,
                        400,
                        "invalid_field",
                        "pageToken"),
                // Bodiless POSTs still say JSON, as the CLI does (CrossSiteGuard).
                Arguments.of(
                        "POST",
                        "/v1/tasks/does-not-exist/cancel",
                        "application/json",
                        null,
                        404,
                        "not_found",
                        null),
                Arguments.of(
                        "POST",
                        "/v1/workers/ghost/drain",
                        "application/json",
                        null,
                        404,
                        "not_found",
                        null),
                bad("POST", "/v1/workers/ghost/drain", null, 415, "unsupported_media_type", null),
                bad("POST", "/v1/workers/..%2Fx/drain", null, 400, null, null),
                bad("DELETE", "/v1/tasks", null, 405, "method_not_allowed", null),
                bad("GET", "/v1/nothing-here", null, 404, "not_found", null),
                new Arguments[] {
                            Arguments.of(
                                    "POST",
                                    "/v1/tasks",
                                    "text/plain",
                                    "{\"type\":\"echo\"}",
                                    415,
                                    "unsupported_media_type",
                                    null)
                        }
                        [0]);
    }

    private static Arguments bad(
            String method, String path, String body, int status, String error, String field) {
        return Arguments.of(
                method, path, body == null ? null : "application/json", body, status, error, field);
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {4}")
    @MethodSource("requests")
    void badRequest_getsItsStatusAndAJsonError_andWritesNothing(
            String method,
            String path,
            String contentType,
            String body,
            int status,
            String error,
            String field)
            throws Exception {
        BadRequests.assertRejectedWithoutWrites(
                server,
                ZK.newClient(),
                "bad",
                method,
                path,
                contentType,
                body,
                status,
                error,
                field);
    }

    @Test
    void afterEveryBadRequest_theServerStillServes() throws Exception {
        for (Arguments a : (Iterable<Arguments>) requests()::iterator) {
            Object[] v = a.get();
            try {
                server.send((String) v[0], (String) v[1], (String) v[2], (String) v[3]);
            } catch (java.io.IOException closed) {
                // Refusing an oversized body unread, Jetty closes the connection; the next request
                // opens a new one.
            }
        }
        server.startWorker("w-after", 2);
        HttpResponse<String> ok =
                server.post(
                        "/v1/tasks",
                        "{\"type\":\"echo\",\"id\":\"still-serving\",\"payload\":{\"ok\":true}}");
        assertThat(ok.statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                DroverJson.mapper()
                                        .readTree(server.get("/v1/tasks/still-serving").body())
                                        .path("state")
                                        .asText()
                                        .equals("SUCCEEDED"));
        assertThat(server.get("/v1/cluster").statusCode()).isEqualTo(200);
    }

    @Test
    void errorsJettyAnswersItself_areJsonToo_whateverTheClientAccepts() throws Exception {
        for (String accept : new String[] {"*/*", "text/html", "application/json"}) {
            HttpResponse<String> r =
                    java.net.http.HttpClient.newHttpClient()
                            .send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create(
                                                            server.url()
                                                                    + "/v1/tasks/..%2F..%2Fleader"))
                                            .header("Accept", accept)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode json = DroverJson.mapper().readTree(r.body());
            assertThat(json.get("error").asText()).as(accept).isEqualTo("bad_request");
            assertThat(json.get("message").asText()).isNotBlank();
        }
    }
}
