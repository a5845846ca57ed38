package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.CliTest.Result;
import io.drover.cli.client.ExitCodes;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import io.drover.worker.demo.DemoItems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a real coordinator server and worker, as a user would run them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCommandsTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

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
        Result r =
                run(
                        "submit",
                        "--type",
                        "echo",
                        "--payload",
                        "{\"hello\":\"world\"}",
                        "--wait",
                        "-o",
                        "json");

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
        Result submitted =
                run(
                        "submit",
                        "--type",
                        "sleep",
                        "--payload",
                        "@" + payload,
                        "--count",
                        "12",
                        "--wait",
                        "-o",
                        "json");

        assertThat(submitted.code()).as(submitted.err()).isZero();
        assertThat(json(submitted))
                .hasSize(12)
                .allSatisfy(t -> assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED"));
        assertThat(submitted.err()).contains("12/12 done (12 succeeded, 0 not)");
    }

    @Test
    void submitManyWait_namesTheRun_andEndsWhenTheStreamSaysAllEnded() {
        Result r = run("submit", "--type", "echo", "--count", "200", "--wait");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("200/200 done (200 succeeded, 0 not)");
        // one run, one prefix: a resubmission of the same names would find these tasks
        List<String> ids = r.out().lines().skip(1).map(l -> l.split("\\s+")[0]).toList();
        assertThat(ids).hasSize(200);
        String prefix = ids.get(0).substring(0, ids.get(0).indexOf('-') + 1);
        assertThat(ids).allMatch(id -> id.startsWith(prefix)).contains(prefix + "200");
    }

    @Test
    void watch_printsEachChangeAsItHappens() throws Exception {
        int before = server.app().eventStreams().subscribers();
        java.util.concurrent.CompletableFuture<Result> watching =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> run("watch", "--kinds", "task", "--type", "echo", "--limit", "1"));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> server.app().eventStreams().subscribers() > before);

        Result submitted = run("submit", "--type", "echo", "--payload", "{\"w\":1}");
        String id = submitted.out().strip();

        Result w = watching.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(w.code()).as(w.err()).isZero();
        List<String> lines = w.out().lines().toList();
        assertThat(lines.get(0)).startsWith("TIME").contains("KIND").contains("STATE");
        assertThat(lines).hasSize(2);
        // the first state it shows (a quick task's early states may be coalesced into later ones)
        assertThat(lines.get(1))
                .contains("task")
                .contains(id)
                .containsPattern("PENDING|ASSIGNED|RUNNING|SUCCEEDED");
    }

    @Test
    void countWithoutWait_printsOneIdPerLine_andTasksListsThem() {
        Result r =
                run(
                        "submit",
                        "--type",
                        "noop",
                        "--count",
                        "5",
                        "--priority",
                        "2",
                        "--timeout",
                        "30s");
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
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(
                        () ->
                                json(run("task", id, "-o", "json"))
                                        .get("state")
                                        .asText()
                                        .equals("CANCELLED"));
        assertThat(run("cancel", id).out()).contains("already ended CANCELLED");
    }

    @Test
    void workersAndCluster_showTheLiveCluster() {
        Result workers = run("workers");
        assertThat(workers.code()).isZero();
        assertThat(workers.out())
                .startsWith("ID")
                .containsPattern("worker-1 +ACTIVE")
                .contains("ITEMS");
        assertThat(json(run("workers", "-o", "json")).get(0).get("servesItems").asBoolean())
                .isFalse();
        Result cluster = run("cluster", "-o", "JSON");
        assertThat(cluster.code()).isZero();
        assertThat(json(cluster).get("leader").asText()).isEqualTo("coordinator-cli");
        assertThat(run("cluster").out())
                .contains("leader:        coordinator-cli (epoch")
                .containsPattern("(?m)^items: +\\d+ ");
    }

    @Test
    void itemPutGetListDelete_declaresShowsAndRemovesAnItem(@TempDir Path dir) throws Exception {
        Path specFile = dir.resolve("seg.json");
        Files.writeString(specFile, "{\"uri\":\"s3://bucket/cli-seg-1\"}");

        Result created =
                run(
                        "item",
                        "put",
                        "cli-seg-1",
                        "--replicas",
                        "2",
                        "--spec",
                        "@" + specFile,
                        "--label",
                        "tier=hot");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out())
                .startsWith("cli-seg-1 created")
                .contains("2 wanted, 0 served (UNSERVED)")
                .contains("tier=hot")
                .contains("s3://bucket/cli-seg-1");

        Result again =
                run(
                        "item",
                        "put",
                        "cli-seg-1",
                        "--replicas",
                        "2",
                        "--spec",
                        "{\"uri\":\"s3://bucket/cli-seg-1\"}",
                        "--label",
                        "tier=hot",
                        "-o",
                        "json");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(json(again).get("changed").asBoolean()).isFalse();

        Result scaled =
                run(
                        "item",
                        "put",
                        "cli-seg-1",
                        "--replicas",
                        "3",
                        "--spec",
                        "@" + specFile,
                        "--label",
                        "tier=hot");
        assertThat(scaled.out()).startsWith("cli-seg-1 updated").contains("3 wanted");
        run("item", "put", "cli-seg-0", "--replicas", "1");

        Result get = run("item", "get", "cli-seg-1", "-o", "json");
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(json(get).get("replicas").asInt()).isEqualTo(3);
        assertThat(json(get).get("servedBy")).as("worker-1 has no item handler").isEmpty();
        assertThat(json(get).get("spec").get("uri").asText()).isEqualTo("s3://bucket/cli-seg-1");
        assertThat(run("item", "get", "cli-seg-1").out())
                .contains("replicas:   3 wanted, 0 served (UNSERVED)")
                .contains("servedBy:   -");

        Result list = run("items", "-o", "json");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(json(list).findValuesAsText("id")).containsSubsequence("cli-seg-0", "cli-seg-1");
        assertThat(json(list).get(0).has("servedBy")).isTrue();
        Result table = run("items");
        assertThat(table.out())
                .startsWith("ID")
                .contains("SERVED BY")
                .containsPattern("(?m)^cli-seg-1 +3 +0 +UNSERVED +- +- +-$");

        Result deleted = run("item", "delete", "cli-seg-1");
        assertThat(deleted.code()).as(deleted.err()).isZero();
        assertThat(deleted.out()).startsWith("deleted cli-seg-1");
        assertThat(run("item", "get", "cli-seg-1").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run("item", "delete", "cli-seg-1").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run("items").out()).doesNotContain("cli-seg-1");
    }

    @Test
    void itemPut_onAWorkerWithAnItemHandler_isServedThere_andItemsShowsWhoServesIt() {
        server.startWorker(
                "worker-items", 1, b -> b.label("zone", "e2e").itemHandler(new DemoItems()));

        assertThat(
                        run("item", "put", "cli-served", "--replicas", "1", "--label", "zone=e2e")
                                .code())
                .isZero();

        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                json(run("item", "get", "cli-served", "-o", "json"))
                                                        .get("servedBy")
                                                        .toString())
                                        .isEqualTo("[\"worker-items\"]"));
        JsonNode listed = json(run("items", "-o", "json"));
        assertThat(listed.findValues("id").stream().map(JsonNode::asText)).contains("cli-served");
        assertThat(run("items").out()).containsPattern("cli-served +1 +1 +SERVED +worker-items");
        assertThat(run("workers").out()).containsPattern("worker-items +ACTIVE +0 +1 .*");
        assertThat(run("item", "delete", "cli-served").code()).isZero();
    }

    @Test
    void itemErrors_notFoundConflictAndBadInput_haveTheirExitCodes() {
        Result missing = run("item", "get", "no-such-item");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err().strip())
                .isEqualTo("drover: no item no-such-item; GET /v1/items lists them");

        run("item", "put", "cli-fixed", "--replicas", "1", "--spec", "{\"v\":1}");
        Result conflict = run("item", "put", "cli-fixed", "--replicas", "1", "--spec", "{\"v\":2}");
        assertThat(conflict.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(conflict.err())
                .startsWith("drover: item cli-fixed already exists with a different spec");

        Result tooMany = run("item", "put", "cli-x", "--replicas", "65");
        assertThat(tooMany.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooMany.err().strip())
                .isEqualTo("drover: replicas: must be between 0 and 64, was 65");
        assertThat(run("item", "put", "cli-x", "--replicas", "two").code())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run("item", "put", "cli-x").code())
                .as("--replicas is required")
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run("item", "put", "cli-x", "--replicas", "1", "--spec", "{not json").err())
                .startsWith("drover: --spec: is not valid JSON");
        assertThat(run("item", "get", "../x").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(drover("item").code()).as("a subcommand is required").isEqualTo(ExitCodes.USAGE);
        assertThat(run("item", "get", "cli-x").code())
                .as("nothing was declared")
                .isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void errors_areOneLine_withExitCodesScriptsCanUse() {
        Result missing = run("task", "no-such-task");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err().strip())
                .isEqualTo("drover: no task with id no-such-task")
                .doesNotContain("\n");

        Result invalid = run("submit", "--type", "echo", "--payload", "{not json");
        assertThat(invalid.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalid.err()).startsWith("drover: --payload: is not valid JSON");

        Result rejected = run("submit", "--type", "echo", "--max-attempts", "0");
        assertThat(rejected.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(rejected.err().strip())
                .isEqualTo("drover: maxAttempts: must be between 1 and 1000, was 0");

        Result noWorker = run("drain", "ghost");
        assertThat(noWorker.code()).isEqualTo(ExitCodes.NOT_FOUND);

        Result down = drover("cluster", "--url", "http://127.0.0.1:1");
        assertThat(down.code()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(down.err())
                .startsWith("drover: cannot reach the Drover API at http://127.0.0.1:1");

        Result badUrl = drover("cluster", "--url", "localhost:8080");
        assertThat(badUrl.code()).isEqualTo(ExitCodes.USAGE);

        Result noType = run("submit", "--payload", "{}");
        assertThat(noType.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noType.err().strip())
                .isEqualTo(
                        "drover: Missing required option: '--type=<type>' (see 'drover submit --help')");

        Result emptyId = run("task", "");
        assertThat(emptyId.code())
                .as("an empty $ID in a script is an error, not the task list")
                .isEqualTo(ExitCodes.USAGE);
        Result slashId = run("cancel", "../workers/x");
        assertThat(slashId.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void everyCommand_hasHelp() {
        for (String command :
                new String[] {
                    "submit",
                    "tasks",
                    "task",
                    "cancel",
                    "workers",
                    "drain",
                    "items",
                    "item",
                    "cluster",
                    "coordinator",
                    "worker",
                    "zookeeper"
                }) {
            Result help = drover(command, "--help");
            assertThat(help.code()).as(command).isZero();
            assertThat(help.out())
                    .as(command)
                    .contains("Usage: drover " + command)
                    .contains("Examples:");
        }
        for (String sub : new String[] {"put", "get", "delete"}) {
            Result help = drover("item", sub, "--help");
            assertThat(help.code()).as(sub).isZero();
            assertThat(help.out())
                    .as(sub)
                    .contains("Usage: drover item " + sub)
                    .contains("Examples:");
        }
    }
}
