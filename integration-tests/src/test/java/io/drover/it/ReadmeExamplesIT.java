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
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import io.drover.worker.Worker;
import java.time.Duration;
import java.util.List;
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

    /**
     * The README's {@code drover run} example, read from the README itself: the command runs
     * against a real coordinator server and prints exactly what the README shows.
     */
    @Test
    void requestResponseFromTheCli_asTheReadmeShowsIt() throws Exception {
        List<String> readme =
                java.nio.file.Files.readAllLines(java.nio.file.Path.of("../README.md"));
        int at = -1;
        for (int i = 0; i < readme.size(); i++) {
            if (readme.get(i).startsWith("$ drover run ")) {
                at = i;
            }
        }
        assertThat(at).as("the README shows a drover run example").isNotNegative();
        List<String> args = shellWords(readme.get(at).substring("$ drover ".length()));
        StringBuilder shown = new StringBuilder();
        for (int i = at + 1; !readme.get(i).startsWith("```"); i++) {
            shown.append(readme.get(i)).append('\n');
        }

        try (ServerHarness server = ServerHarness.start(ZK.connectString(), "readme-run")) {
            server.startWorker("worker-1", 1);
            List<String> all = new java.util.ArrayList<>(args);
            all.addAll(List.of("--url", server.url()));
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int code =
                    io.drover.cli.Main.run(
                            new java.io.PrintWriter(out, true),
                            new java.io.PrintWriter(err, true),
                            all.toArray(String[]::new));

            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString().strip()).isEqualTo(shown.toString().strip());
        }
    }

    /** Words as a POSIX shell splits them, for the README's commands: blanks, '...' and "...". */
    private static List<String> shellWords(String line) {
        List<String> words = new java.util.ArrayList<>();
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
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
