package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.CliTest.Result;
import io.drover.cli.client.ExitCodes;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import io.drover.worker.TaskEvent;
import io.drover.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code drover types} and {@code drover type get|set|delete} against a real coordinator server,
 * its leader and a worker, as an operator would use them: a limit set at runtime is enforced at
 * once, without restarting anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypeCommandsTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private ServerHarness server;
    private Worker worker;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "cli-types");
        worker = server.startWorker("worker-1", 4);
        worker.addListener(
                e -> {
                    // only this test's sleeps run on this worker
                    if (e.kind() == TaskEvent.Kind.STARTED) {
                        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    } else {
                        running.decrementAndGet();
                    }
                });
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Result run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = server.url();
        return drover(all);
    }

    private static JsonNode json(Result r) {
        return DroverJson.parsePayload(r.out().strip());
    }

    private List<String> submitSleeps(int n) {
        Result r = run("submit", "--type", "sleep", "--payload", "{\"ms\":300}", "--count", "" + n);
        assertThat(r.code()).as(r.err()).isZero();
        return List.of(r.out().strip().split("\n"));
    }

    private void awaitAllSucceeded(List<String> ids) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () ->
                                ids.stream()
                                        .allMatch(
                                                id ->
                                                        json(run("task", id, "-o", "json"))
                                                                .path("state")
                                                                .asText()
                                                                .equals("SUCCEEDED")));
    }

    @Test
    void maxConcurrentOneSetAtRuntime_theWorkerThenRunsOneSleepAtATime() {
        // Without a policy the worker runs several at once: the limit below is what holds them.
        awaitAllSucceeded(submitSleeps(8));
        assertThat(mostAtOnce.get()).as("no limit yet").isGreaterThan(1);

        Result set = run("type", "set", "sleep", "--max-concurrent", "1");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(set.out()).startsWith("sleep policy created").contains("maxConcurrent:  1");
        // The leader's session sees the policy's change before these tasks' pending entries: both
        // come through one connection in ZooKeeper's order.
        mostAtOnce.set(0);
        List<String> ids = submitSleeps(6);
        awaitAllSucceeded(ids);

        assertThat(mostAtOnce.get()).as("at most one sleep ran at a time").isEqualTo(1);
        assertThat(run("type", "delete", "sleep").code()).isZero();
    }

    @Test
    void setChangesOnlyWhatItIsGiven_andTypesAndGetShowThePolicy() {
        assertThat(run("type", "set", "resize", "--max-live", "100").code()).isZero();
        Result breaker =
                run(
                        "type",
                        "set",
                        "resize",
                        "--breaker",
                        "failureRate=0.5,window=20,minCalls=10,open=30s",
                        "-o",
                        "json");
        assertThat(breaker.code()).as(breaker.err()).isZero();
        JsonNode policy = json(breaker).get("policy");
        assertThat(policy.get("maxLiveTasks").asLong()).as("kept").isEqualTo(100);
        assertThat(policy.get("breaker").get("openMs").asLong()).isEqualTo(30_000);
        assertThat(json(breaker).get("policyVersion").asInt()).isEqualTo(1);

        Result table = run("types");
        assertThat(table.code()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0))
                .matches(
                        "TYPE +MAX-CONCURRENT +MAX-LIVE +RATE +BREAKER +WHEN-OPEN +BREAKER-STATE"
                                + " +PENDING +RUNNING");
        assertThat(lines)
                .anyMatch(
                        l ->
                                l.matches(
                                        "resize +- +100 +- +failureRate=0.5,window=20,minCalls=10,open=30s"
                                                + " +WAIT +- +\\S+ +\\S+"));
        Result get = run("type", "get", "resize");
        assertThat(get.out())
                .contains("policy:         version 1")
                .contains("breaker:        failureRate=0.5,window=20,minCalls=10,open=30s");

        Result none =
                run("type", "set", "resize", "--no-breaker", "--max-concurrent", "3", "-o", "json");
        assertThat(json(none).get("policy").get("breaker").isNull()).isTrue();
        assertThat(json(none).get("policy").get("maxConcurrent").asInt()).isEqualTo(3);
        assertThat(json(none).get("policy").get("maxLiveTasks").asLong()).isEqualTo(100);
        List<String> listed = new ArrayList<>();
        json(run("types", "-o", "json")).forEach(t -> listed.add(t.get("type").asText()));
        assertThat(listed).contains("resize");
    }

    @Test
    void cluster_splitsTheFinishedTasksByHowTheyEnded() {
        assertThat(run("submit", "--type", "fail", "--max-attempts", "1", "--wait").code())
                .isEqualTo(ExitCodes.FAILED);
        assertThat(run("submit", "--type", "echo", "--payload", "{}", "--wait").code()).isZero();

        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> run("cluster").out(),
                        out ->
                                java.util.regex.Pattern.compile(
                                                "(?m)^tasks: +\\d+ pending, \\d+ assigned, \\d+"
                                                        + " running, (\\d+) finished: [1-9]\\d*"
                                                        + " succeeded, [1-9]\\d* failed, \\d+"
                                                        + " cancelled \\(\\d+ retained\\)$")
                                        .matcher(out)
                                        .find());
        JsonNode tasks = json(run("cluster", "-o", "json")).get("tasks");
        assertThat(tasks.get("failed").asLong()).isPositive();
        assertThat(tasks.has("cancelled")).isTrue();
    }

    @Test
    void badInput_isExitTwoWithOneLine_andAnUnknownTypeIsExitFour() {
        Result nothing = run("type", "set", "t");
        assertThat(nothing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(nothing.err()).contains("nothing to set");

        Result garbled = run("type", "set", "t", "--breaker", "rate=0.5");
        assertThat(garbled.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(garbled.err()).contains("--breaker must be failureRate=R");

        Result outOfRange =
                run(
                        "type",
                        "set",
                        "t",
                        "--breaker",
                        "failureRate=2,window=20,minCalls=10,open=30s");
        assertThat(outOfRange.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(outOfRange.err())
                .contains("breaker.failureRateThreshold")
                .doesNotContain("Exception");

        Result negative = run("type", "set", "t", "--max-concurrent", "-1");
        assertThat(negative.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(negative.err()).contains("maxConcurrent");

        assertThat(run("type", "get", "never-heard-of").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run("type", "delete", "never-heard-of").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run("type", "get", "t").code())
                .as("the refused sets wrote nothing")
                .isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void rateAndBreakerFallback_setKeepsWhatItIsNotGiven_andTypesShowsThem() {
        Result rate = run("type", "set", "pdf", "--rate", "30/m", "-o", "json");
        assertThat(rate.code()).as(rate.err()).isZero();
        JsonNode limit = json(rate).get("policy").get("rateLimit");
        assertThat(limit.get("perSecond").asDouble()).isEqualTo(0.5);
        assertThat(limit.get("burst").asInt()).as("one second's worth, at least 1").isEqualTo(1);

        Result burst = run("type", "set", "pdf", "--burst", "10", "-o", "json");
        assertThat(json(burst).get("policy").get("rateLimit").get("perSecond").asDouble())
                .as("kept")
                .isEqualTo(0.5);
        assertThat(json(burst).get("policy").get("rateLimit").get("burst").asInt()).isEqualTo(10);

        Result fallback =
                run(
                        "type",
                        "set",
                        "pdf",
                        "--breaker",
                        "failureRate=0.5,window=20,minCalls=10,open=30s",
                        "--fallback",
                        "pdf-lite");
        assertThat(fallback.code()).as(fallback.err()).isZero();
        assertThat(fallback.out())
                .contains("rateLimit:      30/m, burst 10")
                .contains("whenOpen:       FALLBACK:pdf-lite");
        assertThat(run("types").out().lines())
                .anyMatch(
                        l ->
                                l.matches(
                                        "pdf +- +- +30/m,burst=10 +failureRate=0.5,\\S+"
                                                + " +FALLBACK:pdf-lite +- +\\S+ +\\S+"));

        Result failFast =
                run("type", "set", "pdf", "--when-open", "fail-fast", "--no-rate", "-o", "json");
        JsonNode policy = json(failFast).get("policy");
        assertThat(policy.get("whenOpen").asText()).isEqualTo("FAIL_FAST");
        assertThat(policy.has("fallbackType")).isFalse();
        assertThat(policy.has("rateLimit")).isFalse();
        Result noBreaker = run("type", "set", "pdf", "--no-breaker", "-o", "json");
        assertThat(json(noBreaker).get("policy").get("whenOpen").asText())
                .as("nothing opens any more: back to the default")
                .isEqualTo("WAIT");
    }

    @Test
    void badRateOrFallback_isExitTwoNamingTheOption() {
        Result unit = run("type", "set", "r", "--rate", "5/day");
        assertThat(unit.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unit.err()).contains("--rate must be N/s, N/m or N/h");

        Result negative = run("type", "set", "r", "--rate", "5/s", "--burst", "0");
        assertThat(negative.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(negative.err()).contains("--burst: must be between 1 and 1000000, was 0");

        Result lonelyBurst = run("type", "set", "r", "--burst", "3");
        assertThat(lonelyBurst.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(lonelyBurst.err()).contains("--burst needs a rate");

        Result mode = run("type", "set", "r", "--when-open", "panic");
        assertThat(mode.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(mode.err()).contains("--when-open must be wait, fail-fast or fallback");

        Result noBreaker = run("type", "set", "r", "--fallback", "r-lite");
        assertThat(noBreaker.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noBreaker.err()).contains("whenOpen: FALLBACK needs a breaker");

        Result itself =
                run(
                        "type",
                        "set",
                        "r",
                        "--breaker",
                        "failureRate=0.5,window=20,minCalls=10,open=30s",
                        "--fallback",
                        "r");
        assertThat(itself.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(itself.err())
                .contains("fallbackType: must be another type than r itself")
                .doesNotContain("Exception");
        assertThat(run("type", "get", "r").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }
}
