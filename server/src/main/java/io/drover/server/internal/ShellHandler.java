package io.drover.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.worker.TaskContext;
import io.drover.worker.TaskFailedException;
import io.drover.worker.TaskHandler;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code shell} task type: runs one of the programs the worker's config allows, with the
 * arguments of the payload {@code {"command": "echo", "args": ["hi"]}}. No shell interprets
 * anything: the program and its arguments go to the OS as they are. Exit 0 succeeds with {@code
 * {"exitCode": 0, "output": "..."}}; anything else fails the attempt (and retries per the task's
 * policy). Cancelling or timing out the task kills the process.
 */
public final class ShellHandler implements TaskHandler {
    private final Set<String> allowed;
    private final int maxOutputBytes;

    public ShellHandler(List<String> allowedCommands, int maxOutputBytes) {
        this.allowed = Set.copyOf(allowedCommands);
        this.maxOutputBytes = maxOutputBytes;
    }

    @Override
    public Object handle(TaskContext ctx) throws Exception {
        JsonNode p = ctx.payload();
        JsonNode command = p.get("command");
        if (command == null || !command.isTextual() || !allowed.contains(command.asText())) {
            throw TaskFailedException.permanent(
                    "shell: payload.command must be one of the worker's allowedCommands "
                            + allowed.stream().sorted().toList()
                            + ", was "
                            + (command == null ? "missing" : command.toString()));
        }
        List<String> argv = new ArrayList<>();
        argv.add(command.asText());
        JsonNode args = p.get("args");
        if (args != null && !args.isNull()) {
            if (!args.isArray()) {
                throw TaskFailedException.permanent(
                        "shell: payload.args must be an array of strings");
            }
            for (JsonNode a : args) {
                if (!a.isTextual()) {
                    throw TaskFailedException.permanent(
                            "shell: payload.args must be an array of strings, found " + a);
                }
                argv.add(a.asText());
            }
        }
        // Output goes to a private (0600) file, so a chatty program cannot block on a full pipe;
        // only its head is kept.
        File out = Files.createTempFile("drover-shell-", ".out").toFile();
        try {
            // a program reading stdin ends instead of waiting
            Process process =
                    new ProcessBuilder(argv)
                            .redirectErrorStream(true)
                            .redirectOutput(out)
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                            .start();
            int exit;
            try {
                exit = process.waitFor();
            } catch (InterruptedException e) {
                // Cancelled or timed out: the program goes, and whatever it started with it.
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw e;
            }
            String output = head(out);
            if (exit != 0) {
                throw TaskFailedException.retryable(
                        "shell: " + command.asText() + " exited with " + exit + ": " + output);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("exitCode", exit);
            result.put("output", output);
            return result;
        } catch (IOException e) {
            throw TaskFailedException.permanent(
                    "shell: cannot run " + command.asText() + ": " + e.getMessage());
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }

    private String head(File f) throws IOException {
        try (InputStream in = Files.newInputStream(f.toPath())) {
            byte[] b = in.readNBytes(maxOutputBytes);
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
