package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    record Result(int code, String out, String err) {}

    /**
     * A command line's words as a POSIX shell splits them: whitespace separates, single or double
     * quotes keep text as it is (no escapes, no variables, no globbing).
     */
    static java.util.List<String> shellWords(String line) {
        java.util.List<String> out = new java.util.ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    out.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        assertThat((int) quote).as("unclosed quote in " + line).isZero();
        if (word != null) {
            out.add(word.toString());
        }
        return out;
    }

    static Result drover(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void quickstartWithExit_runsTheDemoBatch_printsTheSummaryLine_exitsZero(@TempDir Path dir) {
        Result r =
                drover(
                        "quickstart",
                        "--tasks",
                        "60",
                        "--exit",
                        "--zk-port",
                        "0",
                        "--api-port",
                        "0",
                        "--data-dir",
                        dir.resolve("zk").toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("HTTP API on http://127.0.0.1:\\d+ ");
        assertThat(r.out())
                .containsPattern("(?m)^60 submitted, 60 succeeded, 0 failed, 0 lost in [0-9.]+ s$");
    }

    @Test
    void benchJson_warmUpThenRuns_mediansSpreadAndTheZooKeeperCostPerTaskByHop() {
        Result r =
                drover(
                        "bench",
                        "--tasks",
                        "300",
                        "--workers",
                        "2",
                        "--capacity",
                        "8",
                        "--light-tasks",
                        "5",
                        "--raw-ops",
                        "500",
                        "--warmup",
                        "100",
                        "--runs",
                        "2",
                        "--backlog",
                        "400",
                        "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = DroverJson.parsePayload(r.out().strip());
        JsonNode listings = json.get("backlogListings");
        assertThat(listings.get("layoutVersion").asInt()).isEqualTo(2);
        assertThat(listings.get("buckets").asInt()).isEqualTo(256);
        // 400 ids (b-0 to b-399) over 256 buckets; a pending name is its key, 29 + id bytes
        int names = listings.get("pending").get("largestReplyNames").asInt();
        assertThat(names).isBetween(2, 20);
        assertThat(listings.get("pending").get("largestReplyBytes").asLong())
                .isBetween(24L + names * (4 + 29 + 3), 24L + names * (4 + 29 + 5));
        assertThat(listings.get("status").get("largestReplyNames").asInt()).isBetween(2, 20);
        for (String figure :
                new String[] {
                    "tasksPerSecond",
                    "steadyTasksPerSecond",
                    "zkCreatesPerSecond",
                    "zkMultiCreatesPerSecond",
                    "ratioToRawCreates"
                }) {
            JsonNode spread = json.get(figure);
            assertThat(spread.get("runs")).as(figure).hasSize(2);
            assertThat(spread.get("min").asDouble()).as(figure).isPositive();
            assertThat(spread.get("median").asDouble())
                    .as(figure)
                    .isBetween(spread.get("min").asDouble(), spread.get("max").asDouble());
        }
        assertThat(json.get("perRun")).hasSize(2);
        for (String latency : new String[] {"startLatencyMs", "doneLatencyMs"}) {
            JsonNode run = json.get("perRun").get(0);
            assertThat(run.get(latency).has("p50")).isTrue();
            assertThat(run.get(latency).has("p99")).isTrue();
        }
        JsonNode hops = json.get("zkCostPerTask").get("writesByHop");
        // the contract's ops per task (docs/protocols.md), counted from ZooKeeper's own log
        assertThat(hops.get("1 submit").get("create tasks").asDouble()).isEqualTo(1.0);
        assertThat(hops.get("2 assign").get("create assignments").asDouble()).isEqualTo(1.0);
        assertThat(hops.get("3 claim").get("create claims").asDouble()).isEqualTo(1.0);
        assertThat(hops.get("4 commit").get("delete claims").asDouble()).isEqualTo(1.0);
        assertThat(json.get("zkCostPerTask").get("sessionsByRole").get("leader").has("requests"))
                .isTrue();
    }

    /** Run against a user's ZooKeeper, the bench deletes every znode it created. */
    @Test
    void benchOnAnOutsideZooKeeper_leavesNothingBehind() throws Exception {
        try (org.apache.curator.test.TestingServer zk =
                        new org.apache.curator.test.TestingServer();
                org.apache.curator.framework.CuratorFramework c =
                        org.apache.curator.framework.CuratorFrameworkFactory.newClient(
                                zk.getConnectString(),
                                new org.apache.curator.retry.RetryOneTime(100))) {
            c.start();
            java.util.List<String> before = c.getChildren().forPath("/");

            Result r =
                    drover(
                            "bench",
                            "--zk",
                            zk.getConnectString(),
                            "--tasks",
                            "200",
                            "--workers",
                            "2",
                            "--light-tasks",
                            "3",
                            "--raw-ops",
                            "300",
                            "--warmup",
                            "50",
                            "--runs",
                            "2");

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(c.getChildren().forPath("/")).containsExactlyInAnyOrderElementsOf(before);
        }
    }

    /**
     * A worker closed on a session it does not own unannounces its items at once: the bench must
     * not miss that dip.
     */
    @Test
    void benchItems_workerLeaves_itsReplicasComeBack_measuredEachRun() {
        Result r =
                drover(
                        "bench",
                        "items",
                        "--items",
                        "30",
                        "--workers",
                        "3",
                        "--reps",
                        "2",
                        "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = DroverJson.parsePayload(r.out().strip());
        assertThat(json.get("reReplicateMs").get("p50").asDouble()).isPositive();
        assertThat(json.get("replicasLost"))
                .hasSize(2)
                .allSatisfy(n -> assertThat(n.asInt()).isPositive());
    }

    @Test
    void badArguments_oneLineError_usageExitCode() {
        Result r = drover("bench", "--tasks", "0");

        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().strip())
                .startsWith("drover: --tasks")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void benchWithAMultiTooLargeForZooKeeper_oneLineErrorNamingTheLimit() {
        Result r = drover("bench", "--multi-size", "5000");

        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().strip())
                .startsWith("drover: --multi-size must be at most 1000")
                .endsWith("was 5000")
                .doesNotContain("\n");
    }

    @Test
    void benchWithANegativeRetainOrABadOrLoneInterval_oneLineErrorNamingIt() {
        Result retain = drover("bench", "--retain", "-5");
        Result interval = drover("bench", "--retain", "10", "--gc-interval", "10");
        Result alone = drover("bench", "--gc-interval", "5s");

        assertThat(retain.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(retain.err().strip())
                .isEqualTo("drover: --retain must be between 0 and 500000, was -5");
        assertThat(interval.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(interval.err().strip())
                .isEqualTo("drover: --gc-interval must be a duration such as 1s or 500ms, was 10");
        assertThat(alone.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(alone.err().strip())
                .isEqualTo("drover: --gc-interval is for --retain, which is not given");
    }

    @Test
    void unknownOption_usageError() {
        Result r = drover("quickstart", "--taks", "5");

        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().strip())
                .contains("'--taks'")
                .contains("did you mean --tasks?")
                .doesNotContain("\n");
    }

    @Test
    void helpOnEveryCommand() {
        assertThat(drover("--help").out()).contains("quickstart").contains("bench");
        assertThat(drover("quickstart", "--help").out()).contains("--tasks").contains("Examples:");
        assertThat(drover("bench", "--help").out()).contains("--workers").contains("--json");
    }

    @Test
    void benchFailover_withRealProcesses_printsMedianAndMaxPerFault(@TempDir Path dir) {
        Result r =
                drover(
                        "bench",
                        "failover",
                        "--reps",
                        "1",
                        "--scenarios",
                        "WORKER_STOP,LEADER_STOP",
                        "--session-timeout",
                        "3000",
                        "--backlog",
                        "500",
                        "--server-heap",
                        "320m",
                        "--extra-workers",
                        "20",
                        "--dir",
                        dir.toString(),
                        "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode out = DroverJson.parsePayload(r.out().strip());
        assertThat(out.get("backlog").asInt()).isEqualTo(500);
        assertThat(out.get("serverHeap").asText()).isEqualTo("320m");
        assertThat(out.get("zkHeap").asText()).isEqualTo("768m");
        assertThat(out.get("extraWorkers").asInt()).isEqualTo(20);
        assertThat(r.err()).contains("20 of 20 workers in this process started");
        assertThat(r.err()).contains("submitting a backlog of 500 pending tasks");
        JsonNode results = out.get("results");
        for (String scenario : new String[] {"WORKER_STOP", "LEADER_STOP"}) {
            assertThat(results.get(scenario).get("samplesMs")).hasSize(1);
            assertThat(results.get(scenario).get("medianMs").asLong()).isPositive();
        }
    }

    @Test
    void benchFailover_withAHeapWithoutUnitANegativeBacklogOrTooManyWorkers_oneLineErrorNamingIt() {
        Result heap = drover("bench", "failover", "--server-heap", "512");
        Result backlog = drover("bench", "failover", "--backlog", "-1");

        assertThat(heap.code()).isNotZero();
        assertThat(heap.err().strip())
                .contains(
                        "--server-heap must be a number and a unit (k, m or g), like 512m; was 512")
                .doesNotContain("\n")
                .doesNotContain("Exception");
        assertThat(backlog.code()).isNotZero();
        assertThat(backlog.err().strip())
                .contains("--backlog must be between 0 and 2000000, was -1")
                .doesNotContain("\n");
        Result extra = drover("bench", "failover", "--extra-workers", "5000");
        assertThat(extra.code()).isNotZero();
        assertThat(extra.err().strip())
                .contains("--extra-workers must be between 0 and 2000, was 5000")
                .doesNotContain("\n");
    }
}
