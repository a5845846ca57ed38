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
        description = "Removes an item; the leader then drops it from every worker that serves it.",
        footer = {
            "",
            "Examples:",
            "  drover item delete seg-1",
            "",
            "Exit codes: 0 deleted, 4 no such item, 3 API unreachable."
        })
public final class ItemDeleteCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Parameters(paramLabel = "ID", description = "The item id.")
    String id;

    @Override
    public Integer call() {
        JsonNode r = options.client().delete("/v1/items/" + ApiClient.segment("ID", id));
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, r);
        } else {
            out.println("deleted " + id + "; the leader drops it from the workers that serve it");
            out.flush();
        }
        return ExitCodes.OK;
    }
}
