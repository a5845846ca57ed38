package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = {
            "Cancels a task. A pending task is cancelled by the leader; a running one is interrupted by its worker.",
            "Cancelling a task that has ended is a no-op that says so."
        },
        footer = {
            "",
            "Examples:",
            "  drover cancel 3f2a...",
            "",
            "Exit codes: 0 requested or already ended, 4 no such task, 3 API unreachable."
        })
public final class CancelCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Parameters(paramLabel = "ID", description = "The task id.")
    String id;

    @Override
    public Integer call() {
        JsonNode r =
                options.client().post("/v1/tasks/" + ApiClient.segment("ID", id) + "/cancel", null);
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, r);
        } else if ("REQUESTED".equals(r.path("outcome").asText())) {
            out.println(
                    "cancel requested for " + id + " (it was " + r.path("state").asText() + ")");
        } else {
            out.println(id + " already ended " + r.path("state").asText() + "; nothing to cancel");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
