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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code shell} task type: runs one of the programs the worker's config allows, named by
 * absolute path, with the arguments of the payload {@code {"command": "/usr/bin/echo", "args":
 * ["hi"]}}. No shell interprets anything: the program and its arguments go to the OS as they are.
 * The program gets an empty environment (a fixed {@code PATH} and the variables the config passes
 * on), a scratch working directory of its own that is deleted afterwards, no input, and at most
 * {@code maxRunTime}. Exit 0 succeeds with {@code {"exitCode": 0, "output": "..."}}; anything else
 * fails the attempt (and retries per the task's policy). The program runs in a session and process
 * group of its own (through {@code setsid}); when it ends, is cancelled or times out, the whole
 * group is killed, so a grandchild it left running goes too (one that starts a session of its own
 * escapes).
 */
public final class ShellHandler implements TaskHandler {
    static final String PATH = "/usr/local/bin:/usr/bin:/bin";

    /**
     * Starts the program as the leader of a session and process group of its own (Java cannot), so
     * that everything it starts can be found and killed, even after it exits.
     */
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Set<String> allowed;
    private final int maxOutputBytes;
    private final Duration maxRunTime;
    private final List<String> passEnvironment;

    /**
     * @throws IllegalArgumentException if a program is not named by absolute path: a relative name
     *     would be looked up in whatever {@code PATH} the worker has
     */
    public ShellHandler(
            List<String> allowedCommands,
            int maxOutputBytes,
            Duration maxRunTime,
            List<String> passEnvironment) {
        for (String c : allowedCommands) {
            if (!c.startsWith("/")) {
                throw new IllegalArgumentException(
                        "worker.allowedCommands must name programs by absolute path (such as"
                                + " /usr/bin/"
                                + c
                                + "), was '"
                                + c
                                + "'");
            }
        }
        this.allowed = Set.copyOf(allowedCommands);
        this.maxOutputBytes = maxOutputBytes;
        this.maxRunTime = maxRunTime;
        this.passEnvironment = List.copyOf(passEnvironment);
    }

    @Override
    public Object handle(TaskContext ctx) throws Exception {
        List<String> argv = argv(ctx.payload());
        Path scratch = Files.createTempDirectory("drover-shell-"); // 0700: the worker's alone
        File out = scratch.resolve(".drover-output").toFile();
        boolean ownGroup = Files.isExecutable(SETSID);
        List<String> command = new ArrayList<>(argv);
        if (ownGroup) {
            command.add(0, SETSID.toString());
        }
        Process process = null;
        try {
            ProcessBuilder pb =
                    new ProcessBuilder(command)
                            .directory(scratch.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(out)
                            // a program reading stdin ends instead of waiting
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> env = pb.environment();
            env.clear();
            env.put("PATH", PATH);
            for (String name : passEnvironment) {
                String value = System.getenv(name);
                if (value != null) {
                    env.put(name, value);
                }
            }
            process = pb.start();
            boolean exited;
            try {
                exited = process.waitFor(maxRunTime.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                kill(process); // cancelled or timed out
                Thread.currentThread().interrupt();
                throw e;
            }
            if (!exited) {
                kill(process);
                throw TaskFailedException.permanent(
                        "shell: "
                                + argv.get(0)
                                + " ran longer than the worker's maxCommandRunTime of "
                                + maxRunTime.toMillis()
                                + " ms and was killed");
            }
            String output = head(out);
            if (process.exitValue() != 0) {
                throw TaskFailedException.retryable(
                        "shell: "
                                + argv.get(0)
                                + " exited with "
                                + process.exitValue()
                                + ": "
                                + output);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("exitCode", 0);
            result.put("output", output);
            return result;
        } catch (IOException e) {
            throw TaskFailedException.permanent(
                    "shell: cannot run " + argv.get(0) + ": " + e.getMessage());
        } finally {
            if (process != null && ownGroup) {
                killGroup(process.pid()); // what it left running, even after it exited
            }
            deleteTree(scratch);
        }
    }

    private List<String> argv(JsonNode p) throws TaskFailedException {
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
        return argv;
    }

    /** The program goes, and whatever it started that is still its descendant. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Every process in the group {@code pgid}: the program's own, since setsid made it leader. */
    private static void killGroup(long pgid) {
        ProcessHandle.allProcesses()
                .filter(p -> groupOf(p.pid()) == pgid)
                .forEach(ProcessHandle::destroyForcibly);
    }

    /** A process's group, from Linux's {@code /proc/<pid>/stat}; -1 if it cannot be read. */
    private static long groupOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    private String head(File f) throws IOException {
        try (InputStream in = Files.newInputStream(f.toPath())) {
            byte[] b = in.readNBytes(maxOutputBytes);
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover scratch directory in the temp folder is no danger
        }
    }
}
