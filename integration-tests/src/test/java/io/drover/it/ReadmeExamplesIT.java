package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.CallFailedException;
import io.drover.model.CallTimeoutException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.testkit.ZooKeeperServerExtension;
import io.drover.worker.Worker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's examples, verbatim but for the connect string. Keep the two in step. */
class ReadmeExamplesIT {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    @Test
    void embeddedWorkerAndJavaClient_asTheReadmeShowsThem() throws Exception {
        String zk = ZK.connectString();
        try (Coordinator coordinator =
                Coordinator.builder().connectString(zk).cluster("default").build()) {
            coordinator.start();

            Worker worker =
                    Worker.builder()
                            .connectString(zk)
                            .cluster("default")
                            .id("thumbnailer-1")
                            .capacity(4) // tasks at once; also the handler thread pool
                            .label("zone", "eu-1") // tasks may require labels
                            .handler(
                                    "thumbnail",
                                    ctx -> {
                                        Map<?, ?> request = ctx.payloadAs(Map.class);
                                        // ctx.fencingToken() grows with every attempt: pass it to
                                        // stores that can fence stale writers
                                        return Map.of("thumbnail", request.get("url") + "?w=128");
                                    })
                            .build();
            worker.start(); // blocks until announced

            TaskStatus done;
            try (DroverClient client = DroverClient.connect(zk, "default")) {
                TaskSpec spec =
                        TaskSpec.builder("thumbnail")
                                .id("thumb-42") // optional; makes resubmission idempotent
                                .payloadJson("{\"url\": \"https://example.com/cat.png\"}")
                                .priority(5) // higher first; FIFO within a priority
                                .requireLabel("zone", "eu-1")
                                .build();
                client.submit(spec).join();
                done = client.await("thumb-42", Duration.ofSeconds(30));
                System.out.println(done.state() + " " + done.result());
            }
            worker.close(); // hands back running tasks at once, then closes the session

            assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(done.result().get("thumbnail").asText())
                    .isEqualTo("https://example.com/cat.png?w=128");
            assertThat(done.workerId()).isEqualTo("thumbnailer-1");
        }
    }

    @Test
    void requestResponseFromJava_asTheReadmeShowsIt() throws Exception {
        String zk = ZK.connectString();
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream console = System.out;
        try (Coordinator coordinator =
                        Coordinator.builder().connectString(zk).cluster("readme-call").build();
                Worker worker =
                        Worker.builder()
                                .connectString(zk)
                                .cluster("readme-call")
                                .id("thumbnailer-1")
                                .handler(
                                        "thumbnail",
                                        ctx ->
                                                Map.of(
                                                        "thumbnail",
                                                        ctx.payload().get("url").asText()
                                                                + "?w=128"))
                                .build();
                DroverClient client = DroverClient.connect(zk, "readme-call")) {
            coordinator.start();
            worker.start();
            System.setOut(new java.io.PrintStream(printed, true));
            // verbatim from the README's "Submit from Java"
            try {
                JsonNode result =
                        client.call(
                                TaskSpec.builder("thumbnail")
                                        .payloadJson("{\"url\": \"https://example.com/dog.png\"}")
                                        .build(),
                                Duration.ofSeconds(30));
                System.out.println(result.get("thumbnail").asText());
            } catch (
                    CallFailedException e) { // e.error(); e.isRetryable(): it used all its attempts
                System.out.println("failed: " + e.error());
            } catch (CallTimeoutException e) { // it may still run: client.await(e.taskId(), ...)
                System.out.println("still running: " + e.taskId());
            } // CallCancelledException: someone cancelled it
        } finally {
            System.setOut(console);
        }
        // the console also carries the log lines of the cluster in this JVM
        assertThat(printed.toString().lines())
                .contains("https://example.com/dog.png?w=128")
                .noneMatch(l -> l.startsWith("failed") || l.startsWith("still running"));
    }
}
