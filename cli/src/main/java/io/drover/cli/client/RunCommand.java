package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.drover.model.TaskState;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs a task and prints its result (request/response): submits it, waits for its end"
                    + " and exits by how it ended.",
            "The result goes to stdout as JSON (-o json: the whole task); a failure's error to"
                    + " stderr, in one line."
        },
        footer = {
            "",
            "Examples:",
            "  drover run echo --payload '{\"hello\":\"world\"}'",
            "  drover run resize --payload @job.json --timeout 5m --key order-17 --label zone=eu",
            "",
            "Exit codes: 0 succeeded, 6 the task failed, 7 it was cancelled, 8 it did not end within"
                    + " --timeout (it may still run), 2 bad input, 3 API unreachable, 5 not allowed."
        })
public final class RunCommand implements Callable<Integer> {
    /** Each request waits at most this long, well inside the HTTP client's 60 s. */
    static final long WAIT_PER_REQUEST_MS = 30_000;

    private static final long PAUSE_MS = 1_000;

    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Parameters(index = "0", paramLabel = "TYPE", description = "The handler type, e.g. echo.")
    String type;

    @Mixin TaskOptions task;

    @Option(
            names = "--timeout",
            defaultValue = "60s",
            description = "How long to wait for the end, e.g. 30s or 5m (default 60s).")
    String timeout;

    @Option(
            names = "--attempt-timeout",
            description =
                    "Execution timeout of one attempt (default none; submit calls it --timeout).")
    String attemptTimeout;

    @Override
    public Integer call() {
        long waitMs = Durations.toMillis("--timeout", timeout);
        Long attemptMs =
                attemptTimeout == null
                        ? null
                        : Durations.toMillis("--attempt-timeout", attemptTimeout);
        // named by the CLI unless the user names it: a request sent again finds the task
        String id = task.named() ? task.id : SubmitCommand.runPrefix() + "1";
        ApiClient api = options.client();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        long asked = slice(deadline);
        long sent = System.nanoTime();
        JsonNode t = api.post(waiting("/v1/tasks", asked), task.request(type, id, attemptMs));
        while (!ended(t) && left(deadline) > 0) {
            if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent) < asked / 2) {
                // answered long before the wait ran out without an end: the coordinator has as
                // many waiting as it may, or is stopping; do not ask again at once
                LockSupport.parkNanos(
                        TimeUnit.MILLISECONDS.toNanos(Math.min(PAUSE_MS, left(deadline))));
            }
            asked = slice(deadline);
            sent = System.nanoTime();
            t = api.get(waiting("/v1/tasks/" + ApiClient.segment("id", text(t, "id")), asked));
        }
        return outcome(t, waitMs);
    }

    private int outcome(JsonNode t, long waitMs) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String state = text(t, "state");
        if (options.json()) {
            Printer.json(out, t);
        } else if ("SUCCEEDED".equals(state)) {
            Printer.json(out, t.has("result") ? t.get("result") : NullNode.getInstance());
        }
        String task = "task " + text(t, "id");
        switch (state) {
            case "SUCCEEDED":
                return ExitCodes.OK;
            case "FAILED":
                err.println(
                        "drover: "
                                + task
                                + " failed on attempt "
                                + text(t, "attempt")
                                + " of "
                                + text(t, "maxAttempts")
                                + ": "
                                + Printer.clip(text(t, "error"), 2_000));
                err.flush();
                return ExitCodes.TASK_FAILED;
            case "CANCELLED":
                err.println("drover: " + task + " was cancelled");
                err.flush();
                return ExitCodes.TASK_CANCELLED;
            default:
                String why = t.hasNonNull("waitingFor") ? ", " + text(t, "waitingFor") : "";
                err.println(
                        "drover: "
                                + task
                                + " did not end within "
                                + Durations.format(waitMs)
                                + " (it is "
                                + state
                                + why
                                + "); it may still run: drover task "
                                + text(t, "id"));
                err.flush();
                return ExitCodes.TIMED_OUT;
        }
    }

    private static String waiting(String path, long ms) {
        return ApiClient.query(path, Map.of("wait", Durations.format(ms)));
    }

    private static long slice(long deadline) {
        return Math.min(WAIT_PER_REQUEST_MS, left(deadline));
    }

    private static long left(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static boolean ended(JsonNode t) {
        try {
            return TaskState.valueOf(text(t, "state")).isTerminal();
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    private static String text(JsonNode t, String field) {
        return Printer.text(t, field);
    }
}
