package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.CliTest.Result;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The CLI finds coordinators in ZooKeeper, and moves on when the one it uses goes away. */
class DiscoveryTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void coordinatorStoppedMidCommand_cliMovesToAnother_andNothingRunsTwice() throws Exception {
        String cluster = ZK.uniqueCluster();
        int portA = freePort();
        int portB = freePort();
        ServerHarness a =
                ServerHarness.start(
                        ZK.connectString(), cluster, c -> ServerHarness.apiOnPort(c, portA));
        ServerHarness b =
                ServerHarness.standby(
                        ZK.connectString(),
                        cluster,
                        "coordinator-b",
                        c -> ServerHarness.apiOnPort(c, portB));
        try {
            b.startWorker("w1", 4);
            CompletableFuture<Result> submitting =
                    CompletableFuture.supplyAsync(
                            () ->
                                    drover(
                                            "submit",
                                            "--type",
                                            "sleep",
                                            "--payload",
                                            "{\"ms\":100}",
                                            "--count",
                                            "40",
                                            "--wait",
                                            "-o",
                                            "json",
                                            "--zk",
                                            ZK.connectString(),
                                            "--cluster",
                                            cluster));
            // the CLI is following its run on one of them: stop that one
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    a.app().eventStreams().subscribers()
                                                    + b.app().eventStreams().subscribers()
                                            > 0);
            boolean onA = a.app().eventStreams().subscribers() > 0;
            (onA ? a : b).close();
            ServerHarness survivor = onA ? b : a;
            if (!onA) {
                survivor.startWorker("w2", 4); // b's worker went with b
            }

            Result r = submitting.get(120, TimeUnit.SECONDS);
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode tasks = DroverJson.mapper().readTree(r.out());
            assertThat(tasks).hasSize(40);
            JsonNode listed =
                    DroverJson.mapper()
                            .readTree(survivor.get("/v1/tasks?type=sleep&limit=1000").body());
            assertThat(listed.get("tasks")).as("submitted once each").hasSize(40);
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void context_savesWhereTheClusterIs_andCommandsUseIt(@TempDir Path home) throws Exception {
        String before = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        ServerHarness server = ServerHarness.start(ZK.connectString(), ZK.uniqueCluster());
        try {
            Result add = drover("context", "add", "local", "--url", server.url());
            assertThat(add.code()).as(add.err()).isZero();
            Path file = home.resolve(".drover/contexts.json");
            assertThat(Files.getPosixFilePermissions(file).toString())
                    .isEqualTo("[OWNER_READ, OWNER_WRITE]");

            Result cluster = drover("cluster", "-o", "json");
            assertThat(cluster.code()).as(cluster.err()).isZero();
            assertThat(cluster.out()).contains("coordinator-");

            Result list = drover("context", "list");
            assertThat(list.out()).contains("*").contains("local").contains(server.url());

            Result bad = drover("context", "add", "both", "--url", server.url(), "--zk", "x:1");
            assertThat(bad.code()).isEqualTo(2);
            assertThat(bad.err()).contains("exactly one of --url and --zk");
            Result unknown = drover("cluster", "--context", "nope");
            assertThat(unknown.code()).isEqualTo(2);
        } finally {
            server.close();
            System.setProperty("user.home", before);
        }
    }
}
