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
        name = "get",
        mixinStandardHelpOptions = true,
        description =
                "Shows one task type: its policy, its circuit breaker's state, its pending and running tasks.",
        footer = {
            "",
            "Examples:",
            "  drover type get resize",
            "  drover type get resize -o json",
            "",
            "Exit codes: 0 shown, 4 nothing is known of the type, 3 API unreachable."
        })
public final class TypeGetCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Parameters(paramLabel = "TYPE", description = "The task type.")
    String type;

    @Override
    public Integer call() {
        JsonNode view = options.client().get(TypeSetCommand.path(type));
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, view);
        } else {
            Printer.type(out, view);
        }
        return ExitCodes.OK;
    }
}
