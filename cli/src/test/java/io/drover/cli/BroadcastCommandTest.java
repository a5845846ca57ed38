package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliTest.Result;
import io.drover.cli.client.ExitCodes;
import io.drover.model.BroadcastGathering;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code drover broadcast} and {@code drover task} on a broadcast, against a real coordinator
 * server and three workers; the examples of {@code docs/broadcast.md} and the README are read from
 * the pages and run as written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BroadcastCommandTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private static final Path PAGE = Path.of("..", "docs", "broadcast.md");
    private static final Path README = Path.of("..", "README.md");

    private ServerHarness server;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "cli-broadcast");
        for (String w : List.of("worker-1", "worker-2", "worker-3")) {
            server.startWorker(w, 2);
        }
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Result run(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.add("--url");
        all.add(server.url());
        return drover(all.toArray(String[]::new));
    }

    private Result run(String... args) {
        return run(List.of(args));
    }

    @Test
    void theDocsExample_broadcastsToEveryWorker_waits_andShowsEachResponse() throws Exception {
        List<String> examples = new ArrayList<>();
        Files.readAllLines(PAGE).stream()
                .filter(l -> l.startsWith("$ drover broadcast "))
                .forEach(l -> examples.add(l.substring(2)));
        Files.readAllLines(README).stream()
                .filter(l -> l.startsWith("drover broadcast "))
                .forEach(examples::add);
        assertThat(examples).as("examples in " + PAGE + " and " + README).hasSizeGreaterThan(1);

        for (String example : examples) {
            List<String> args = CliTest.shellWords(example.substring("drover ".length()));
            Result r = run(args);

            assertThat(r.code()).as(example + "\n" + r.out() + r.err()).isZero();
            assertThat(r.out())
                    .contains("state:         SUCCEEDED")
                    .contains("responses:")
                    .containsPattern("(?m)^  worker-1 +SUCCEEDED +1 ")
                    .containsPattern("(?m)^  worker-2 +SUCCEEDED +1 ")
                    .containsPattern("(?m)^  worker-3 +SUCCEEDED +1 ");
        }
    }

    @Test
    void task_showsABroadcastsResponses_andAResponseShowsItsBroadcast() {
        Result submitted = run("broadcast", "echo", "--payload", "{\"n\":7}", "--id", "show-me");
        assertThat(submitted.code()).as(submitted.err()).isZero();
        assertThat(submitted.out().strip()).isEqualTo("show-me");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> run("task", "show-me").out().contains("state:         SUCCEEDED"));

        Result parent = run("task", "show-me");
        Result child = run("task", BroadcastGathering.responseId("show-me", 1, "worker-2"));

        assertThat(parent.out())
                .contains("broadcast:     ALL, 3 of 3 responses succeeded (3 needed)")
                .containsPattern("(?m)^  WORKER +STATE +ATTEMPT +TASK +RESULT/ERROR$")
                .containsPattern(
                        "(?m)^  worker-2 +SUCCEEDED +1 +show-me\\.worker-2\\.\\S+ +\\{\"n\":7\\}$");
        assertThat(child.code()).as(child.err()).isZero();
        assertThat(child.out())
                .contains("broadcast:     response of show-me, on worker worker-2 only")
                .contains("worker:        worker-2");
    }

    @Test
    void aBroadcastThatFails_exitsOne_andSaysWhy() {
        Result r = run("broadcast", "fail", "--max-attempts", "1", "--success", "any", "--wait");

        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out())
                .contains("state:         FAILED")
                .contains("0 of 3 responses succeeded; ANY needs 1")
                .containsPattern("(?m)^  worker-3 +FAILED +1 ");
    }

    @Test
    void aBadSuccessOrGather_isAUsageError_namingTheOption() {
        Result policy = run("broadcast", "echo", "--success", "most");
        Result gather = run("broadcast", "echo", "--gather", "soon");

        assertThat(policy.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(policy.err()).contains("--success");
        assertThat(gather.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(gather.err()).contains("--gather");
    }
}
