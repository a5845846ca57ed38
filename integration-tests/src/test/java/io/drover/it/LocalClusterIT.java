package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The docker-compose topology as real processes ({@code bin/drover-local-cluster}: a 3-node
 * ZooKeeper ensemble, 2 coordinator servers, 3 worker servers), driven only through the {@code
 * drover} CLI, as an operator would.
 */
class LocalClusterIT {
    private final LocalClusterScript script = new LocalClusterScript("local-cluster-it", 21_000);
    private final Path dir = script.dir();

    private LocalClusterScript.Run localCluster(String verb) throws Exception {
        return script.localCluster(verb);
    }

    private JsonNode json(String... droverArgs) throws Exception {
        return script.json(droverArgs);
    }

    @AfterEach
    void down() throws Exception {
        LocalClusterScript.Run r = localCluster("down");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(localCluster("status").out()).doesNotContain("running");
    }

    @Test
    void cliSubmits_leaderProcessKilled_everyTaskFinishes() throws Exception {
        LocalClusterScript.Run up = localCluster("up");
        assertThat(up.exit()).as(up.out() + up.err()).isZero();
        String api1 = "http://127.0.0.1:" + script.port(8080);
        String api2 = "http://127.0.0.1:" + script.port(8082);
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
        LocalClusterScript.Run waited =
                script.drover(
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
