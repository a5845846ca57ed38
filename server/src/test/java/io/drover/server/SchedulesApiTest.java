package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.client.DroverClient;
import io.drover.model.DroverJson;
import io.drover.model.Schedule;
import io.drover.model.TaskSpec;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /v1/schedules} against a real coordinator server, its leader and ZooKeeper: schedules put,
 * read, listed, paused, resumed and deleted; bad input named; and the leader firing the ticks of
 * one as tasks that name it. Each test uses its own schedule ids on one server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulesApiTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private ServerHarness server;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "schedules");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private HttpResponse<String> put(String id, String body) throws Exception {
        return server.send("PUT", "/v1/schedules/" + id, "application/json", body);
    }

    private HttpResponse<String> send(String method, String path, String ifMatch, String body)
            throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            r.header("If-Match", ifMatch);
        }
        return server.send(r.build());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return DroverJson.mapper().readTree(r.body());
    }

    private static void assertBad(HttpResponse<String> r, String error, String field)
            throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).as(r.body()).isEqualTo(error);
        assertThat(json(r).get("field").asText()).as(r.body()).isEqualTo(field);
    }

    @Test
    void putNewSchedule_is201WithETag_getAndListShowIt_aStaleIfMatchIs412() throws Exception {
        HttpResponse<String> r =
                put(
                        "nightly",
                        "{\"cron\":\"0 0 2 * * *\",\"zone\":\"Europe/Paris\",\"misfire\":\"fire-once\","
                                + "\"task\":{\"type\":\"report\",\"payload\":{\"day\":\"yesterday\"},"
                                + "\"maxAttempts\":2,\"labels\":{\"zone\":\"eu-1\"}}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location").orElseThrow())
                .endsWith("/v1/schedules/nightly");
        assertThat(r.headers().firstValue("ETag")).hasValue("\"1\"");
        JsonNode s = json(r);
        assertThat(s.get("cron").asText()).isEqualTo("0 0 2 * * *");
        assertThat(s.get("zone").asText()).isEqualTo("Europe/Paris");
        assertThat(s.get("misfire").asText()).isEqualTo("FIRE_ONCE");
        assertThat(s.get("overlap").asText()).isEqualTo("SKIP");
        assertThat(s.get("task").get("type").asText()).isEqualTo("report");
        assertThat(s.get("task").get("labels").get("zone").asText()).isEqualTo("eu-1");
        assertThat(s.get("task").has("id")).isFalse();
        assertThat(s.get("nextTickMs").asLong()).isGreaterThan(System.currentTimeMillis());
        assertThat(s.has("lastTaskId")).isFalse();

        HttpResponse<String> got = server.get("/v1/schedules/nightly");
        assertThat(got.headers().firstValue("ETag")).hasValue("\"1\"");
        assertThat(json(got).get("task").get("payload").get("day").asText()).isEqualTo("yesterday");
        assertThat(json(server.get("/v1/schedules")).get("schedules"))
                .extracting(v -> v.get("id").asText())
                .contains("nightly");

        HttpResponse<String> replaced =
                send(
                        "PUT",
                        "/v1/schedules/nightly",
                        "\"1\"",
                        "{\"cron\":\"0 0 3 * * *\",\"task\":{\"type\":\"report\"}}");
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(json(replaced).get("zone").asText())
                .as("a PUT is the whole definition")
                .isEqualTo("UTC");
        HttpResponse<String> stale =
                send(
                        "PUT",
                        "/v1/schedules/nightly",
                        "\"1\"",
                        "{\"cron\":\"0 0 4 * * *\",\"task\":{\"type\":\"report\"}}");
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
        assertThat(json(stale).get("field").asText()).isEqualTo("If-Match");
        assertThat(send("DELETE", "/v1/schedules/nightly", "\"1\"", null).statusCode())
                .isEqualTo(412);
        assertThat(send("DELETE", "/v1/schedules/nightly", "\"2\"", null).statusCode())
                .isEqualTo(200);
        assertThat(server.get("/v1/schedules/nightly").statusCode()).isEqualTo(404);
    }

    @Test
    void badInput_isA400NamingTheField() throws Exception {
        String task = "\"task\":{\"type\":\"t\"}";
        assertBad(put("bad", "{\"cron\":\"0 0 2 * *\"," + task + "}"), "invalid_field", "cron");
        assertBad(put("bad", "{\"cron\":\"0 0 25 * * *\"," + task + "}"), "invalid_field", "cron");
        assertBad(put("bad", "{" + task + "}"), "invalid_field", "cron");
        assertBad(
                put("bad", "{\"cron\":\"@daily\",\"zone\":\"Mars/Olympus\"," + task + "}"),
                "invalid_field",
                "zone");
        assertBad(put("bad", "{\"cron\":\"@daily\"}"), "invalid_field", "task");
        assertBad(put("bad", "{\"cron\":\"@daily\",\"task\":{}}"), "invalid_field", "task.type");
        assertBad(
                put("bad", "{\"cron\":\"@daily\",\"task\":{\"type\":\"t\",\"id\":\"x\"}}"),
                "invalid_field",
                "task.id");
        assertBad(
                put("bad", "{\"cron\":\"@daily\",\"task\":{\"type\":\"t\",\"priority\":2000000}}"),
                "invalid_field",
                "task.priority");
        assertBad(
                put("bad", "{\"cron\":\"@daily\",\"misfire\":\"ALL\"," + task + "}"),
                "invalid_field",
                "misfire");
        assertBad(
                put("bad", "{\"cron\":\"@daily\",\"overlap\":\"queue\"," + task + "}"),
                "invalid_field",
                "overlap");
        assertBad(
                put("bad", "{\"cron\":\"@daily\",\"crons\":1," + task + "}"),
                "unknown_field",
                "crons");
        assertBad(put("bad", ""), "invalid_field", "body");
        assertBad(put("no%20space", "{\"cron\":\"@daily\"," + task + "}"), "invalid_field", "id");
        assertThat(server.get("/v1/schedules/bad").statusCode()).isEqualTo(404);
    }

    @Test
    void pauseAndResume_areOperatorPosts_unknownScheduleIs404() throws Exception {
        put("paused-one", "{\"cron\":\"@hourly\",\"task\":{\"type\":\"t\"}}");

        HttpResponse<String> paused = send("POST", "/v1/schedules/paused-one/pause", null, null);
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        assertThat(json(paused).get("paused").asBoolean()).isTrue();
        assertThat(json(paused).has("nextTickMs")).as("nothing comes while paused").isFalse();
        assertThat(paused.headers().firstValue("ETag")).hasValue("\"2\"");
        HttpResponse<String> resumed = send("POST", "/v1/schedules/paused-one/resume", null, null);
        assertThat(json(resumed).get("paused").asBoolean()).isFalse();
        assertThat(json(resumed).get("nextTickMs").asLong()).isPositive();

        HttpResponse<String> none = send("POST", "/v1/schedules/none/pause", null, null);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(json(none).get("message").asText()).contains("no schedule with id none");
        assertThat(send("DELETE", "/v1/schedules/none", null, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/v1/schedules/paused-one", null, null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void everySecond_theLeaderFiresTicksAsTasksNamedAfterThem_thatNameTheSchedule()
            throws Exception {
        HttpResponse<String> r =
                put(
                        "heartbeat",
                        "{\"cron\":\"* * * * * *\",\"overlap\":\"ALLOW\",\"task\":{\"type\":\"beat\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);

        JsonNode fired =
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(100))
                        .until(
                                () -> json(server.get("/v1/schedules/heartbeat")),
                                v -> v.has("lastTaskId") && v.get("lastTickMs").asLong() > 0);
        String taskId = fired.get("lastTaskId").asText();
        long tick = fired.get("lastFiredTickMs").asLong();
        assertThat(taskId).isEqualTo(Schedule.taskIdFor("heartbeat", tick));
        assertThat(tick % 1_000).as("a tick of a cron with seconds").isZero();
        assertThat(
                        json(send("DELETE", "/v1/schedules/heartbeat", null, null))
                                .get("deleted")
                                .asBoolean())
                .isTrue();

        assertThat(server.get("/v1/tasks/" + taskId).statusCode()).isEqualTo(200);
        try (DroverClient client = DroverClient.connect(ZK.connectString(), "schedules")) {
            TaskSpec spec = client.store().spec(taskId).get().orElseThrow();
            assertThat(spec.scheduleId()).isEqualTo("heartbeat");
            assertThat(spec.type()).isEqualTo("beat");
            assertThat(spec.submittedAtMs()).isGreaterThanOrEqualTo(tick);
        }
    }
}
