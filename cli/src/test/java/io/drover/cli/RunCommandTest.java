package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.CliTest.Result;
import io.drover.cli.client.ExitCodes;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code drover run}: request/response from the command line, and its exit codes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunCommandTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private ServerHarness server;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "cli-run");
        server.startWorker("worker-1", 4);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Result run(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "run";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--url";
        all[args.length + 2] = server.url();
        return drover(all);
    }

    private static JsonNode json(String text) {
        return DroverJson.parsePayload(text.strip());
    }

    @Test
    void aTaskThatSucceeds_printsItsResult_andExitsZero() {
        Result r = run("echo", "--payload", "{\"hello\":\"world\"}", "--priority", "3");

        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(json(r.out())).isEqualTo(json("{\"hello\":\"world\"}"));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aTaskThatSucceedsWithJsonOutput_printsTheWholeTask() {
        Result r = run("echo", "--payload", "5", "--id", "run-json-1", "-o", "json");

        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        JsonNode task = json(r.out());
        assertThat(task.get("id").asText()).isEqualTo("run-json-1");
        assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(task.get("result").asInt()).isEqualTo(5);
    }

    @Test
    void aTaskThatFails_printsItsErrorInOneLine_andExitsTaskFailed() {
        Result r = run("fail", "--max-attempts", "1");

        assertThat(r.code()).isEqualTo(ExitCodes.TASK_FAILED).isEqualTo(6);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines())
                .singleElement()
                .asString()
                .startsWith("drover: task ")
                .endsWith(
                        "failed on attempt 1 of 1: IllegalStateException: fail handler failed attempt 1 as asked");
    }

    @Test
    void aTaskSomeoneCancels_exitsTaskCancelled() throws Exception {
        CompletableFuture<Result> running =
                CompletableFuture.supplyAsync(
                        () ->
                                run(
                                        "sleep",
                                        "--payload",
                                        "{\"ms\":600000}",
                                        "--id",
                                        "run-cancel-1",
                                        "--timeout",
                                        "2m"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.get("/v1/tasks/run-cancel-1").body().contains("\"RUNNING\""));

        Result cancel = drover("cancel", "run-cancel-1", "--url", server.url());
        assertThat(cancel.code()).as(cancel.err()).isZero();

        Result r = running.get(60, TimeUnit.SECONDS);
        assertThat(r.code()).isEqualTo(ExitCodes.TASK_CANCELLED).isEqualTo(7);
        assertThat(r.err().strip()).isEqualTo("drover: task run-cancel-1 was cancelled");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aTaskThatDoesNotEndInTime_saysItMayStillRun_andExitsTimedOut() {
        Result r = run("nobody-runs-this", "--id", "run-late-1", "--timeout", "1s");

        assertThat(r.code()).isEqualTo(ExitCodes.TIMED_OUT).isEqualTo(8);
        assertThat(r.err().strip())
                .startsWith(
                        "drover: task run-late-1 did not end within 1s (it is PENDING, NO_CAPABLE_WORKER")
                .endsWith("it may still run: drover task run-late-1");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aTimeoutLongerThanOneRequestsWait_keepsWaitingWithTheLongPoll() throws Exception {
        // each request waits at most 30 s, so a 2 s task with --timeout 90s takes one request; a
        // server answering "not yet" at once (over its bound of waiters) makes it ask again
        ServerHarness tight =
                ServerHarness.start(ZK.connectString(), "cli-run-tight", c -> c.api.maxWaiters = 0);
        try {
            tight.startWorker("worker-1", 1);
            Result r =
                    drover(
                            "run",
                            "sleep",
                            "--payload",
                            "{\"ms\":1500}",
                            "--timeout",
                            "90s",
                            "--url",
                            tight.url());
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
            assertThat(r.out().strip()).isEqualTo("null");
        } finally {
            tight.close();
        }
    }

    @Test
    void aBadTimeout_isAUsageError_andSubmitsNothing() {
        Result r = run("echo", "--id", "run-bad-1", "--timeout", "soon");

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--timeout must be a duration");
        assertThat(drover("task", "run-bad-1", "--url", server.url()).code())
                .isEqualTo(ExitCodes.NOT_FOUND);
    }
}
