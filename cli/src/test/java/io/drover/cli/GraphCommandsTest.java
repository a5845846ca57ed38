package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliTest.Result;
import io.drover.cli.client.ExitCodes;
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

/** {@code drover submit --after}, {@code drover task} links and {@code drover graph(s)}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphCommandsTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    @TempDir Path dir;

    private ServerHarness server;
    private String url;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "cli-graphs");
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

    @Test
    void submitAfter_runsTheTaskOnceItsDependencySucceeded_andTaskShowsTheLink() {
        assertThat(run("submit", "--type", "noop", "--id", "cli-first").code()).isZero();

        Result after =
                run(
                        "submit",
                        "--type",
                        "echo",
                        "--id",
                        "cli-second",
                        "--after",
                        "cli-first",
                        "--wait");
        Result shown = run("task", "cli-second");

        assertThat(after.code()).as(after.err()).isZero();
        assertThat(shown.out())
                .containsPattern("(?m)^dependsOn:$")
                .containsPattern("(?m)^  cli-first\\s+SUCCEEDED$")
                .containsPattern("(?m)^ifDependencyFails: CANCEL$");
    }

    @Test
    void submitAfterAnUnknownTask_isBadInput_namingIt() {
        Result r = run("submit", "--type", "echo", "--after", "cli-never");

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("cli-never");
    }

    @Test
    void aGraphFile_isSubmittedAndFollowed_thenListedAndShownWithItsEdges() throws Exception {
        Path file = dir.resolve("etl.json");
        Files.writeString(
                file,
                "{\"id\":\"cli-etl\",\"tasks\":["
                        + "{\"id\":\"cli-x\",\"type\":\"noop\"},"
                        + "{\"id\":\"cli-y\",\"type\":\"noop\",\"dependsOn\":[\"cli-x\"]},"
                        + "{\"id\":\"cli-z\",\"type\":\"noop\",\"dependsOn\":[\"cli-x\",\"cli-y\"]}]}");

        Result submitted = run("graph", "submit", file.toString(), "--wait");
        Result listed = run("graphs");
        Result shown = run("graph", "get", "cli-etl");
        Result shownInTask = run("task", "cli-x");

        assertThat(submitted.code()).as(submitted.err()).isZero();
        assertThat(submitted.out()).containsPattern("(?m)^state:\\s+SUCCEEDED$");
        assertThat(listed.out())
                .containsPattern("(?m)^cli-etl\\s+SUCCEEDED\\s+3\\s+\\S+\\s+\\S+\\s+3/0/0$");
        assertThat(shown.out())
                .containsPattern("(?m)^ID\\s+TYPE\\s+STATE\\s+DEPENDS-ON$")
                .containsPattern("(?m)^cli-z\\s+noop\\s+SUCCEEDED\\s+cli-x,cli-y$");
        assertThat(shownInTask.out())
                .containsPattern("(?m)^dependents:$")
                .containsPattern("(?m)^  cli-y\\s+SUCCEEDED$");
    }

    @Test
    void aGraphWithACycle_isBadInput_namingTheCycle_andAnUnknownGraphIsNotFound() throws Exception {
        Path file = dir.resolve("loop.json");
        Files.writeString(
                file,
                "{\"tasks\":[{\"id\":\"cl-1\",\"type\":\"noop\",\"dependsOn\":[\"cl-2\"]},"
                        + "{\"id\":\"cl-2\",\"type\":\"noop\",\"dependsOn\":[\"cl-1\"]}]}");

        Result loop = run("graph", "submit", file.toString());
        Result unknown = run("graph", "cancel", "no-such-graph");

        assertThat(loop.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(loop.err()).contains("cl-1 -> cl-2 -> cl-1");
        assertThat(unknown.code()).isEqualTo(ExitCodes.NOT_FOUND);
    }
}
