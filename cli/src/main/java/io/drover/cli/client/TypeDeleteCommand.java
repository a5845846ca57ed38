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
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Removes a task type's policy; the leader stops limiting the type at once.",
        footer = {
            "",
            "Examples:",
            "  drover type delete resize",
            "",
            "Exit codes: 0 deleted, 4 the type has no policy, 3 API unreachable."
        })
public final class TypeDeleteCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Parameters(paramLabel = "TYPE", description = "The task type.")
    String type;

    @Override
    public Integer call() {
        JsonNode r = options.client().delete(TypeSetCommand.path(type));
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, r);
        } else {
            out.println("deleted the policy of type " + type + "; the leader no longer limits it");
            out.flush();
        }
        return ExitCodes.OK;
    }
}
