package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.Broadcast;
import io.drover.server.api.SubmitRequest;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "broadcast",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs a task once on every live worker that handles TYPE (and carries the --label's):",
            "reload a configuration, flush a cache, collect disk usage. The set of workers is fixed",
            "when the leader fans it out; each gets its own response task, with its own attempts,",
            "timeout and result. The broadcast ends with one response per worker, SUCCEEDED when",
            "--success is met. Prints the id; with --wait, follows it and shows the responses."
        },
        footer = {
            "",
            "Examples:",
            "  drover broadcast flush-cache --payload '{\"cache\":\"users\"}' --wait",
            "  drover broadcast reload-config --success quorum --gather 30s --label zone=eu-1",
            "  drover task <id>        # the responses, per worker",
            "",
            "Exit codes: 0 submitted (with --wait: succeeded), 1 the broadcast failed or was cancelled, 2 bad input, 3 API unreachable."
        })
public final class BroadcastCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Parameters(paramLabel = "TYPE", description = "The handler type, e.g. flush-cache.")
    String type;

    @Option(
            names = "--payload",
            description =
                    "The payload every worker gets: JSON text, or @FILE to read it from a file.")
    String payload;

    @Option(
            names = "--success",
            paramLabel = "all|quorum|any",
            description =
                    "How many responses must succeed: all (default), quorum (more than half) or any.")
    Broadcast.Success success;

    @Option(
            names = "--gather",
            paramLabel = "DURATION",
            description =
                    "How long to gather responses after the fan-out, e.g. 30s (default 60s); responses"
                            + " not ended by then are cancelled and count as failed.")
    String gather;

    @Option(names = "--label", description = "A label the workers must have, k=v; repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--max-attempts", description = "Attempts of each response (default 3).")
    Integer maxAttempts;

    @Option(names = "--timeout", description = "Timeout of one attempt of a response, e.g. 30s.")
    String timeout;

    @Option(names = "--priority", description = "Higher runs first (default 0).")
    Integer priority;

    @Option(names = "--id", description = "A task id of your choice (resubmitting it is a no-op).")
    String id;

    @Option(
            names = "--wait",
            description =
                    "Wait for the end and show the responses; exit non-zero unless it succeeded.")
    boolean await;

    @Override
    public Integer call() {
        long gatherMs = gather == null ? 0 : Durations.toMillis("--gather", gather);
        Long timeoutMs = timeout == null ? null : Durations.toMillis("--timeout", timeout);
        // named by the CLI, so that a submission sent again after a lost answer finds the task
        String taskId = id != null ? id : SubmitCommand.runPrefix() + type;
        SubmitRequest request =
                SubmitRequest.of(
                                type,
                                JsonArgument.read("--payload", payload),
                                priority,
                                maxAttempts,
                                timeoutMs,
                                labels)
                        .withId(taskId)
                        .asBroadcast(new Broadcast(success, gatherMs));
        ApiClient api = options.client();
        JsonNode submitted = api.post("/v1/tasks", request);
        String submittedId = submitted.get("id").asText();
        PrintWriter out = spec.commandLine().getOut();
        if (!await) {
            if (options.json()) {
                Printer.json(out, submitted);
            } else {
                out.println(submittedId);
                out.flush();
            }
            return ExitCodes.OK;
        }
        new Follower(api, out, spec.commandLine().getErr(), options.json())
                .await(List.of(submittedId), null);
        JsonNode t = api.get("/v1/tasks/" + ApiClient.segment("ID", submittedId));
        if (options.json()) {
            Printer.json(out, t);
        } else {
            TaskCommand.print(out, t);
        }
        return "SUCCEEDED".equals(t.path("state").asText()) ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
