package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A broadcast on the local cluster as real processes ({@code bin/drover-local-cluster}: 3 ZooKeeper
 * nodes, 2 coordinators, 3 workers), driven through the {@code drover} CLI: a worker process killed
 * with {@code kill -9} while it runs its response counts as a failed response, and a QUORUM
 * broadcast still succeeds with the other two.
 */
class BroadcastProcessIT {
    private final LocalClusterScript script =
            new LocalClusterScript("broadcast-process-it", 27_000);

    @AfterEach
    void down() throws Exception {
        LocalClusterScript.Run r = script.localCluster("down");
        assertThat(r.exit()).as(r.err()).isZero();
    }

    private JsonNode task(String api, String id) throws Exception {
        return script.json("task", id, "--url", api);
    }

    @Test
    void aWorkerProcessKilledMidRun_isAFailedResponse_andTheQuorumStillSucceeds() throws Exception {
        LocalClusterScript.Run up = script.localCluster("up");
        assertThat(up.exit()).as(up.out() + up.err()).isZero();
        String api = "http://127.0.0.1:" + script.port(8080);

        LocalClusterScript.Run submitted =
                script.drover(
                        "broadcast",
                        "sleep",
                        "--payload",
                        "{\"ms\":30000}",
                        "--success",
                        "quorum",
                        "--gather",
                        "10m",
                        "--max-attempts",
                        "1",
                        "--id",
                        "reload-1",
                        "--url",
                        api);
        assertThat(submitted.exit()).as(submitted.err()).isZero();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(
                        () ->
                                task(api, "reload-1")
                                        .path("broadcast")
                                        .path("responses")
                                        .findValuesAsText("state")
                                        .equals(List.of("RUNNING", "RUNNING", "RUNNING")));

        long pid =
                Long.parseLong(
                        Files.readString(script.clusterDir().resolve("pids/worker-2.pid")).strip());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9 mid-run
        JsonNode end =
                await().atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofSeconds(2))
                        .ignoreExceptions()
                        .until(
                                () -> task(api, "reload-1"),
                                t -> !t.path("state").asText().equals("WAITING"));

        assertThat(end.path("state").asText()).isEqualTo("SUCCEEDED");
        JsonNode responses = end.path("broadcast").path("responses");
        assertThat(responses.findValuesAsText("workerId"))
                .containsExactly("worker-1", "worker-2", "worker-3");
        assertThat(responses.findValuesAsText("state"))
                .containsExactly("SUCCEEDED", "FAILED", "SUCCEEDED");
        assertThat(responses.get(1).path("error").asText()).contains("worker worker-2");
        assertThat(end.path("broadcast").path("succeeded").asInt()).isEqualTo(2);
    }
}
