package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The docker-compose topology as real processes ({@code bin/drover-local-cluster}: a 3-node
 * ZooKeeper ensemble, 2 coordinator servers, 3 worker servers), driven only through the {@code
 * drover} CLI, as an operator would.
 */
class LocalClusterIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final int PORT_OFFSET = 21_000;

    /**
     * Under target/, not a temporary folder: when the test fails on CI, the processes' logs are
     * still there to read.
     */
    private final Path dir = Path.of("target", "local-cluster-it").toAbsolutePath();

    record Run(int exit, String out, String err) {}

    private Run run(String... command) throws Exception {
        Files.createDirectories(dir);
        File out = dir.resolve("out.txt").toFile();
        File err = dir.resolve("err.txt").toFile();
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .directory(ROOT.toFile())
                        .redirectOutput(out)
                        .redirectError(err);
        Map<String, String> env = pb.environment();
        env.put("DROVER_PORT_OFFSET", Integer.toString(PORT_OFFSET));
        env.put("DROVER_ZK_SESSION_TIMEOUT", "4s");
        env.put(
                "DROVER_JAVA_OPTS",
                "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"); // the CLI's own JVMs
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 300 s");
        }
        return new Run(
                p.exitValue(),
                Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    private Run localCluster(String verb) throws Exception {
        return run("bin/drover-local-cluster", verb, "--dir", dir.resolve("cluster").toString());
    }

    private JsonNode json(String... droverArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bin/drover"));
        cmd.addAll(List.of(droverArgs));
        cmd.addAll(List.of("-o", "json"));
        Run r = run(cmd.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return DroverJson.parsePayload(r.out());
    }

    @AfterEach
    void down() throws Exception {
        Run r = localCluster("down");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(localCluster("status").out()).doesNotContain("running");
    }

    @Test
    void cliSubmits_leaderProcessKilled_everyTaskFinishes() throws Exception {
        Run up = localCluster("up");
        assertThat(up.exit()).as(up.out() + up.err()).isZero();
        String api1 = "http://127.0.0.1:" + (8080 + PORT_OFFSET);
        String api2 = "http://127.0.0.1:" + (8082 + PORT_OFFSET);
        assertThat(up.out()).contains("API: " + api1);

        JsonNode cluster = json("cluster", "--url", api1);
        assertThat(cluster.get("workers").asInt()).isEqualTo(3);
        assertThat(cluster.get("coordinators")).hasSize(2);
        String leader = cluster.get("leader").asText();
        long epoch = cluster.get("epoch").asLong();
        String survivor = leader.equals("coordinator-1") ? api2 : api1;

        JsonNode submitted =
                json(
                        "submit",
                        "--type",
                        "sleep",
                        "--payload",
                        "{\"ms\":300}",
                        "--count",
                        "40",
                        "--url",
                        api1);
        assertThat(submitted).hasSize(40);

        long pid =
                Long.parseLong(
                        Files.readString(dir.resolve("cluster/pids/" + leader + ".pid")).strip());
        ProcessHandle.of(pid)
                .orElseThrow()
                .destroyForcibly(); // kill -9: no yield, the session has to expire
        // The API keeps accepting work while leadership moves: writes go to ZooKeeper.
        JsonNode more =
                json(
                        "submit",
                        "--type",
                        "echo",
                        "--payload",
                        "{\"after\":\"kill\"}",
                        "--count",
                        "10",
                        "--url",
                        survivor);
        assertThat(more).hasSize(10);

        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions()
                .until(
                        () ->
                                json(
                                                        "tasks",
                                                        "--state",
                                                        "SUCCEEDED",
                                                        "--limit",
                                                        "1000",
                                                        "--url",
                                                        survivor)
                                                .size()
                                        == 50);
        JsonNode after = json("cluster", "--url", survivor);
        assertThat(after.get("leader").asText()).isNotEqualTo(leader);
        assertThat(after.get("epoch").asLong()).isGreaterThan(epoch);
        assertThat(after.get("tasks").get("finished").asLong()).isEqualTo(50);
        assertThat(json("tasks", "--state", "FAILED", "--url", survivor)).isEmpty();

        // And the CLI's --wait against the new leader: exit 0 once the task succeeded.
        Run waited =
                run(
                        "bin/drover",
                        "submit",
                        "--type",
                        "echo",
                        "--payload",
                        "{\"last\":true}",
                        "--wait",
                        "--url",
                        survivor);
        assertThat(waited.exit()).as(waited.err()).isZero();
        assertThat(waited.out()).contains("SUCCEEDED");
    }
}
