package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.CliTest.Result;
import io.drover.cli.client.ExitCodes;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code drover retry} and the attempts {@code drover task} shows, against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetryCommandTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private ServerHarness server;
    private String url;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "cli-retry");
        server.startWorker("worker-1", 4);
        url = server.url();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Result run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = url;
        return drover(all);
    }

    private static JsonNode json(Result r) {
        return DroverJson.parsePayload(r.out().strip());
    }

    /** Submits a task of {@code type} that fails once and ends FAILED; returns its id. */
    private String failedTask(String type) {
        Result r =
                run(
                        "submit",
                        "--type",
                        type,
                        "--payload",
                        "{\"times\":1}",
                        "--max-attempts",
                        "1",
                        "--wait",
                        "-o",
                        "json");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FAILED);
        return json(r).get("id").asText();
    }

    private JsonNode awaitEnd(String id, int attempts) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> json(run("task", id, "-o", "json")),
                        t ->
                                t.path("attempts").size() == attempts
                                        && !t.path("state")
                                                .asText()
                                                .matches("PENDING|ASSIGNED|RUNNING"));
    }

    @Test
    void retryOfAFailedTask_runsItAgain_andTaskShowsBothSeries() {
        // "fail" with {"times":1} fails attempt 1 of every series: the re-run fails too, but runs.
        String id = failedTask("fail");

        Result retried = run("retry", id);
        JsonNode again = awaitEnd(id, 2);
        Result shown = run("task", id);

        assertThat(retried.code()).as(retried.err()).isZero();
        assertThat(retried.out().strip()).isEqualTo(id + ": PENDING again, series 2");
        assertThat(again.get("series").asInt()).isEqualTo(2);
        assertThat(shown.code()).isZero();
        assertThat(shown.out())
                .containsPattern("(?m)^series:\\s+2$")
                .contains("attempts:")
                .containsPattern(
                        "(?m)^  #\\s+WORKER\\s+OUTCOME\\s+STARTED\\s+TOOK\\s+TOKEN\\s+ERROR$")
                .containsPattern(
                        "(?m)^  1\\.1\\s+worker-1\\s+FAILED\\s+\\S+\\s+\\d+ ms\\s+\\d+\\s+IllegalStateException: fail handler")
                .containsPattern("(?m)^  2\\.1\\s+worker-1\\s+FAILED\\s+");
    }

    @Test
    void retryOfASucceededTask_exitsOne_ofAnUnknownTaskFour() {
        Result ok = run("submit", "--type", "noop", "--wait", "-o", "json");
        String id = json(ok).get("id").asText();

        Result succeeded = run("retry", id);
        Result unknown = run("retry", "no-such-task");

        assertThat(succeeded.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(succeeded.err().strip())
                .isEqualTo(
                        "drover: task "
                                + id
                                + " is SUCCEEDED: only a FAILED or CANCELLED task can be retried");
        assertThat(unknown.code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void retryByFilter_printsTheCount_needsConfirmation_thenRetriesEveryMatch() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(failedTask("fail"));
        }
        // "fail" tasks of the other tests may match too: all are FAILED with a series to run.
        Result dry = run("retry", "--state", "FAILED", "--type", "fail", "--dry-run");
        Result unconfirmed = run("retry", "--state", "failed", "--type", "fail");
        int matching = dry.out().strip().split("\n").length;

        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains(ids);
        assertThat(dry.err()).contains(matching + " FAILED tasks of type fail match");
        assertThat(unconfirmed.code())
                .as("nobody at a terminal to ask: nothing is retried")
                .isEqualTo(ExitCodes.USAGE);
        assertThat(unconfirmed.err()).contains("not confirmed").contains("--yes");
        assertThat(json(run("task", ids.get(0), "-o", "json")).get("series").asInt()).isEqualTo(1);

        Result bulk = run("retry", "--state", "FAILED", "--type", "fail", "--yes", "-o", "json");

        assertThat(bulk.code()).as(bulk.err()).isZero();
        assertThat(bulk.err()).contains("retried " + matching + " of " + matching);
        assertThat(json(bulk).findValuesAsText("id")).containsAll(ids);
        for (String id : ids) {
            assertThat(awaitEnd(id, 2).get("series").asInt()).isEqualTo(2);
        }
    }

    @Test
    void badUsage_exitsTwo_andRetryHasHelp() {
        assertThat(run("retry").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("retry", "--state", "SUCCEEDED", "--yes").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("retry", "x", "--state", "FAILED").code()).isEqualTo(ExitCodes.USAGE);
        Result help = drover("retry", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: drover retry").contains("Examples:");
    }
}
