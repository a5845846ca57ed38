package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.CliTest.Result;
import io.drover.cli.client.ExitCodes;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a real coordinator server and worker, as a user would run them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCommandsTest {
    @RegisterExtension
    static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private ServerHarness server;
    private String url;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "cli");
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

    @Test
    void submitWait_succeeds_printsTheTask_exitsZero() {
        Result r = run("submit", "--type", "echo", "--payload", "{\"hello\":\"world\"}", "--wait", "-o", "json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode task = json(r);
        assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(task.get("result").get("hello").asText()).isEqualTo("world");
        for (String field : new String[] {"id", "type", "state", "attempt", "worker", "error"}) {
            assertThat(task.has(field)).as(field).isTrue();
        }
        assertThat(r.err()).contains("100% SUCCEEDED on worker-1");
    }

    @Test
    void submitWait_ofAFailingTask_exitsOne_andShowsTheError() {
        Result r = run("submit", "--type", "fail", "--max-attempts", "1", "--wait");

        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("FAILED").contains("fail handler failed attempt 1");
    }

    @Test
    void submitManyWithAPayloadFile_waitsForAll(@TempDir Path dir) throws Exception {
        Path payload = dir.resolve("p.json");
        Files.writeString(payload, "{\"ms\":1}");
        Result submitted = run("submit", "--type", "sleep", "--payload", "@" + payload, "--count", "12", "--wait", "-o", "json");

        assertThat(submitted.code()).as(submitted.err()).isZero();
        assertThat(json(submitted)).hasSize(12).allSatisfy(t -> assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED"));
        assertThat(submitted.err()).contains("12/12 done (12 succeeded, 0 not)");
    }

    @Test
    void countWithoutWait_printsOneIdPerLine_andTasksListsThem() {
        Result r = run("submit", "--type", "noop", "--count", "5", "--priority", "2", "--timeout", "30s");
        assertThat(r.code()).as(r.err()).isZero();
        String[] ids = r.out().strip().split("\n");
        assertThat(ids).hasSize(5);

        Result task = run("task", ids[0], "-o", "json");
        assertThat(task.code()).as(task.err()).isZero();
        assertThat(json(task).get("priority").asInt()).isEqualTo(2);
        assertThat(json(task).get("timeoutMs").asLong()).isEqualTo(30_000);

        Result list = run("tasks", "--type", "noop", "--limit", "1000", "-o", "json");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(json(list).findValuesAsText("id")).contains(ids);
        Result table = run("tasks", "--type", "noop");
        assertThat(table.out()).startsWith("ID").contains(ids[0]);
    }

    @Test
    void cancel_ofAWaitingTask_thenItEndsCancelled() {
        String id = run("submit", "--type", "noop", "--label", "zone=nowhere").out().strip();
        Result cancel = run("cancel", id);
        assertThat(cancel.code()).as(cancel.err()).isZero();
        assertThat(cancel.out()).contains("cancel requested for " + id);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> json(run("task", id, "-o", "json")).get("state").asText().equals("CANCELLED"));
        assertThat(run("cancel", id).out()).contains("already ended CANCELLED");
    }

    @Test
    void workersAndCluster_showTheLiveCluster() {
        Result workers = run("workers");
        assertThat(workers.code()).isZero();
        assertThat(workers.out()).startsWith("ID").contains("worker-1  ACTIVE");
        Result cluster = run("cluster", "-o", "JSON");
        assertThat(cluster.code()).isZero();
        assertThat(json(cluster).get("leader").asText()).isEqualTo("coordinator-cli");
        assertThat(run("cluster").out()).contains("leader:        coordinator-cli (epoch");
    }

    @Test
    void errors_areOneLine_withExitCodesScriptsCanUse() {
        Result missing = run("task", "no-such-task");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err().strip()).isEqualTo("drover: no task with id no-such-task").doesNotContain("\n");

        Result invalid = run("submit", "--type", "echo", "--payload", "{not json");
        assertThat(invalid.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalid.err()).startsWith("drover: --payload: is not valid JSON");

        Result rejected = run("submit", "--type", "echo", "--max-attempts", "0");
        assertThat(rejected.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(rejected.err().strip()).isEqualTo("drover: maxAttempts: must be between 1 and 1000, was 0");

        Result noWorker = run("drain", "ghost");
        assertThat(noWorker.code()).isEqualTo(ExitCodes.NOT_FOUND);

        Result down = drover("cluster", "--url", "http://127.0.0.1:1");
        assertThat(down.code()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(down.err()).startsWith("drover: cannot reach the Drover API at http://127.0.0.1:1");

        Result badUrl = drover("cluster", "--url", "localhost:8080");
        assertThat(badUrl.code()).isEqualTo(ExitCodes.USAGE);

        Result noType = run("submit", "--payload", "{}");
        assertThat(noType.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noType.err().strip()).isEqualTo("drover: Missing required option: '--type=<type>' (see 'drover submit --help')");

        Result emptyId = run("task", "");
        assertThat(emptyId.code()).as("an empty $ID in a script is an error, not the task list").isEqualTo(ExitCodes.USAGE);
        Result slashId = run("cancel", "../workers/x");
        assertThat(slashId.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void everyCommand_hasHelp() {
        for (String command : new String[] {"submit", "tasks", "task", "cancel", "workers", "drain", "cluster", "coordinator", "worker", "zookeeper"}) {
            Result help = drover(command, "--help");
            assertThat(help.code()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: drover " + command).contains("Examples:");
        }
    }
}
