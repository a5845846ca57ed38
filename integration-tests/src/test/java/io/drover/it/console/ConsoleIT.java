package io.drover.it.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import io.drover.worker.demo.DemoItems;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The web console in a real browser against a real coordinator server and workers (no
 * authentication: the loopback default): tasks appear live, cancel and drain take effect, a pending
 * task says why it waits, and each page is captured for docs/console.
 */
class ConsoleIT {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private static ServerHarness server;
    private static Browser browser;
    private static final Hold HOLD = new Hold();

    @BeforeAll
    static void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "console");
        server.startWorker(
                "worker-1",
                4,
                b -> b.label("zone", "eu-1").handler("resize", HOLD).itemHandler(new DemoItems()));
        server.startWorker(
                "worker-2",
                2,
                b -> b.label("zone", "eu-2").handler("resize", HOLD).itemHandler(new DemoItems()));
        browser = Browser.open(server.url());
    }

    @AfterAll
    static void stop() {
        HOLD.release();
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static String submit(ServerHarness server, String json) throws Exception {
        HttpResponse<String> r = server.post("/v1/tasks", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return DroverJson.mapper().readTree(r.body()).get("id").asText();
    }

    static JsonNode json(ServerHarness server, String path) throws Exception {
        HttpResponse<String> r = server.get(path);
        return r.statusCode() == 200 ? DroverJson.mapper().readTree(r.body()) : null;
    }

    private static String stateOf(String taskId) throws Exception {
        return json(server, "/v1/tasks/" + taskId).get("state").asText();
    }

    private static String badgeText(String css) {
        return browser.driver.findElement(By.cssSelector(css)).getText();
    }

    @Test
    void aTaskSubmittedThroughTheApi_appearsOnTheTasksPage_withoutAReload() throws Exception {
        browser.go("#/tasks");
        browser.await(d -> d.findElement(By.id("tasks-status")).getText().startsWith("Page 1"));
        browser.script("window.droverMarker = 'the same page'");

        String id = submit(server, "{\"type\":\"echo\",\"payload\":{\"hello\":\"console\"}}");

        browser.visible("tr[data-task-id='" + id + "']");
        browser.await(d -> badgeText("tr[data-task-id='" + id + "'] .badge").equals("SUCCEEDED"));
        assertThat(browser.script("return window.droverMarker")).isEqualTo("the same page");
    }

    @Test
    void aPendingTask_saysWhyItWaits_cancelOnItsPage_cancelsIt_andReRunMakesItPendingAgain()
            throws Exception {
        String id = submit(server, "{\"type\":\"parked\"}");
        browser.go("#/task/" + id);

        browser.text("#waiting-for", "Why it is pending", "NO_CAPABLE_WORKER", "parked");
        browser.click("#cancel");
        browser.click("#confirm-ok");

        await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(id).equals("CANCELLED"));
        browser.await(d -> badgeText(".page-head .badge").equals("CANCELLED"));
        assertThat(browser.driver.findElements(By.id("cancel"))).isEmpty();

        browser.click("#rerun");
        browser.click("#confirm-ok");
        await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(id).equals("PENDING"));
        browser.await(d -> badgeText(".page-head .badge").equals("PENDING"));
    }

    @Test
    void aBroadcastsPage_showsOneResponsePerWorker_eachLinkingToItsTask_andIsCaptured()
            throws Exception {
        String id =
                submit(
                        server,
                        "{\"id\":\"flush-sessions\",\"type\":\"echo\","
                                + "\"payload\":{\"flushed\":\"sessions\"},"
                                + "\"labels\":{},\"broadcast\":{\"success\":\"QUORUM\","
                                + "\"gatherMs\":30000}}");
        await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(id).equals("SUCCEEDED"));

        browser.go("#/task/" + id);
        browser.text("#broadcast", "QUORUM", "2 of 2 succeeded (2 needed)");
        browser.text("#responses tr[data-worker='worker-1']", "worker-1", "SUCCEEDED", "sessions");
        browser.visible("#responses tr[data-worker='worker-2'] .badge.s-succeeded");
        assertThat(browser.driver.findElements(By.id("result")))
                .as("its result is the responses table, not a raw JSON panel")
                .isEmpty();
        browser.script("document.querySelectorAll('.toast').forEach(t => t.remove())");
        browser.screenshot("broadcast");

        browser.click("#responses tr[data-worker='worker-2'] a.task-link");
        browser.text("#parent", "response of", id, "worker-2 only");
    }

    @Test
    void drainOnTheWorkersPage_drainsTheWorker() throws Exception {
        Hold hold = new Hold();
        server.startWorker("drain-me", 1, b -> b.label("pool", "drain").handler("hold", hold));
        String id = submit(server, "{\"type\":\"hold\",\"labels\":{\"pool\":\"drain\"}}");
        await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(id).equals("RUNNING"));
        try {
            browser.go("#/workers");
            browser.click("button.drain[data-worker='drain-me']");
            browser.click("#confirm-ok");

            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () ->
                                    "DRAINING"
                                            .equals(
                                                    json(server, "/v1/workers/drain-me")
                                                            .path("state")
                                                            .asText()));
            browser.visible("tr[data-worker-id='drain-me'][data-state='DRAINING']");
        } finally {
            hold.release();
        }
    }

    @Test
    void aTypesConcurrencyLimit_editedOnTheTypesPage_isWhatTheApiAnswers() throws Exception {
        // GET/PUT /v1/types is built on another branch of issue 13: this test runs from the merge
        // that brings it (and says so when skipped), and the page says the API is missing until
        // then.
        org.junit.jupiter.api.Assumptions.assumeTrue(
                server.get("/v1/types").statusCode() != 404,
                "this coordinator has no /v1/types yet");
        browser.go("#/types");
        browser.visible("#edit-other").sendKeys("transcode");
        browser.click("#edit-other-form button");
        setNumber("maxConcurrent", "3");
        browser.click("#type-save");

        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                json(server, "/v1/types/transcode")
                                                .path("policy")
                                                .path("maxConcurrent")
                                                .asInt()
                                        == 3);
        browser.text("tr[data-type='transcode']", "transcode", "3");

        // Again from its row, over the version it read (If-Match), with a breaker this time.
        browser.click("button.edit-type[data-type='transcode']");
        setNumber("maxConcurrent", "5");
        browser.click("#breaker-enabled");
        setNumber("openMs", "60000");
        browser.click("#type-save");

        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            JsonNode policy = json(server, "/v1/types/transcode").path("policy");
                            return policy.path("maxConcurrent").asInt() == 5
                                    && policy.path("breaker").path("openMs").asLong() == 60000;
                        });

        // The form does not edit a rate limit or what the breaker does while open: a save keeps
        // what drover type set wrote.
        String breaker =
                json(server, "/v1/types/transcode").path("policy").path("breaker").toString();
        server.send(
                "PUT",
                "/v1/types/transcode",
                "application/json",
                "{\"maxConcurrent\":5,\"rateLimit\":{\"perSecond\":2,\"burst\":4},"
                        + "\"whenOpen\":\"FALLBACK\",\"fallbackType\":\"transcode-lite\",\"breaker\":"
                        + breaker
                        + "}");
        browser.text("tr[data-type='transcode']", "2/s, burst 4", "run as", "transcode-lite");
        browser.click("button.edit-type[data-type='transcode']");
        setNumber("maxConcurrent", "6");
        browser.click("#type-save");

        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            JsonNode policy = json(server, "/v1/types/transcode").path("policy");
                            return policy.path("maxConcurrent").asInt() == 6
                                    && policy.path("rateLimit").path("burst").asInt() == 4
                                    && policy.path("fallbackType")
                                            .asText()
                                            .equals("transcode-lite");
                        });
    }

    private static void setNumber(String id, String value) {
        var input = browser.visible("#" + id);
        input.clear();
        input.sendKeys(value);
    }

    @Test
    void everyPage_showsTheCluster_andIsCaptured() throws Exception {
        server.send(
                "PUT",
                "/v1/items/segment-2024-01",
                "application/json",
                "{\"replicas\":2,\"labels\":{}}");
        server.send("PUT", "/v1/items/segment-2024-02", "application/json", "{\"replicas\":1}");
        server.send("PUT", "/v1/items/segment-2024-03", "application/json", "{\"replicas\":3}");
        String running =
                submit(
                        server,
                        "{\"type\":\"resize\",\"priority\":5,\"labels\":{\"zone\":\"eu-1\"},"
                                + "\"payload\":{\"bucket\":\"photos\",\"images\":5,\"failFirst\":true},"
                                + "\"retry\":{\"initialBackoffMs\":10},\"timeoutMs\":600000}");
        submit(server, "{\"type\":\"fail\",\"maxAttempts\":2,\"retry\":{\"initialBackoffMs\":10}}");
        submit(server, "{\"type\":\"thumbnail\",\"labels\":{\"zone\":\"us-1\"}}");

        browser.go("#/overview");
        browser.await(
                d -> !d.findElement(By.cssSelector("#card-leader .value")).getText().isEmpty());
        for (int i = 0; i < 40; i++) {
            submit(server, "{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}");
        }
        browser.await(
                d -> {
                    String rate =
                            d.findElement(By.cssSelector("#card-throughput .value")).getText();
                    return !rate.equals("—") && Double.parseDouble(rate) > 0;
                });
        browser.text("#card-leader .value", "coordinator-console");
        browser.screenshot("overview");

        browser.go("#/tasks?limit=25");
        browser.await(d -> d.findElements(By.cssSelector("tr[data-task-id]")).size() == 25);
        browser.screenshot("tasks");

        browser.go("#/task/" + running);
        browser.text("#progress", "40%", "resized 2 of 5");
        browser.text("#attempts", "FAILED", "image store timed out", "RUNNING");
        browser.screenshot("task");

        browser.go("#/workers");
        browser.visible("tr[data-worker-id='worker-2']");
        browser.screenshot("workers");

        browser.go("#/items");
        browser.visible("tr[data-item-id='segment-2024-01'][data-state='SERVED']");
        browser.visible("tr[data-item-id='segment-2024-03'][data-state='UNDER_REPLICATED']");
        browser.screenshot("items");

        browser.go("#/types");
        browser.visible("tr[data-type='resize'], #types-unavailable");
        browser.screenshot("types");
    }
}
