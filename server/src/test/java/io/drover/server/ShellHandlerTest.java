package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.internal.ShellHandler;
import io.drover.testkit.Processes;
import io.drover.worker.TaskContext;
import io.drover.worker.TaskFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a shell program gets: no inherited environment, a scratch directory, a bounded run. */
class ShellHandlerTest {
    /** The context a handler sees, for a payload; nothing is written anywhere. */
    private record Payload(JsonNode payload) implements TaskContext {
        static Payload of(String json) {
            return new Payload(DroverJson.parsePayload(json));
        }

        @Override
        public String taskId() {
            return "t1";
        }

        @Override
        public String type() {
            return "shell";
        }

        @Override
        public <T> T payloadAs(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public long fencingToken() {
            return 1;
        }

        @Override
        public String workerId() {
            return "w1";
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void reportProgress(int percent, String message) {}
    }

    private static String output(Object result) {
        return (String) ((Map<?, ?>) result).get("output");
    }

    @Test
    void theProgramInheritsNoEnvironment_onlyAFixedPath_andWhatTheConfigPassesOn()
            throws Exception {
        ShellHandler shell =
                new ShellHandler(
                        List.of("/usr/bin/env"), 16_384, Duration.ofMinutes(1), List.of("HOME"));

        String env = output(shell.handle(Payload.of("{\"command\":\"/usr/bin/env\"}")));

        assertThat(env.lines().sorted().toList())
                .containsExactly(
                        "HOME=" + System.getenv("HOME"), "PATH=/usr/local/bin:/usr/bin:/bin");
    }

    @Test
    void theProgramRunsInAScratchDirectoryOfItsOwn_deletedAfterwards() throws Exception {
        ShellHandler shell =
                new ShellHandler(List.of("/bin/pwd"), 16_384, Duration.ofMinutes(1), List.of());

        Path dir = Path.of(output(shell.handle(Payload.of("{\"command\":\"/bin/pwd\"}"))).strip());

        assertThat(dir.getFileName().toString()).startsWith("drover-shell-");
        assertThat(Files.exists(dir)).as("deleted").isFalse();
    }

    @Test
    void aProgramRunningPastTheLimit_isKilled_andTheTaskFailsForGood() {
        ShellHandler shell =
                new ShellHandler(List.of("/bin/sleep"), 16_384, Duration.ofMillis(300), List.of());

        assertThatThrownBy(
                        () ->
                                shell.handle(
                                        Payload.of(
                                                "{\"command\":\"/bin/sleep\",\"args\":[\"9876\"]}")))
                .isInstanceOf(TaskFailedException.class)
                .hasMessage(
                        "shell: /bin/sleep ran longer than the worker's maxCommandRunTime of 300 ms and was killed")
                .matches(e -> !((TaskFailedException) e).isRetryable());
        assertThat(Processes.noneRunning("sleep 9876")).isTrue();
    }

    @Test
    void aGrandchildLeftRunningWhenTheProgramExits_isKilledWithItsGroup() throws Exception {
        ShellHandler shell =
                new ShellHandler(List.of("/bin/sh"), 16_384, Duration.ofMinutes(1), List.of());

        shell.handle(
                Payload.of("{\"command\":\"/bin/sh\",\"args\":[\"-c\",\"sleep 7777 & exit 0\"]}"));

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> Processes.noneRunning("sleep 7777"));
    }

    @Test
    void programsMustBeNamedByAbsolutePath() {
        assertThatThrownBy(
                        () ->
                                new ShellHandler(
                                        List.of("echo"), 16_384, Duration.ofMinutes(1), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "worker.allowedCommands must name programs by absolute path (such as /usr/bin/echo), was 'echo'");
    }
}
