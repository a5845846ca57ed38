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
        description = {
            "Shows one item: replicas wanted and served, its state, the workers",
            "serving, loading and dropping it, its labels and spec."
        },
        footer = {
            "",
            "Examples:",
            "  drover item get seg-1",
            "  drover item get seg-1 -o json",
            "",
            "Exit codes: 0 shown, 4 no such item, 3 API unreachable."
        })
public final class ItemGetCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Parameters(paramLabel = "ID", description = "The item id.")
    String id;

    @Override
    public Integer call() {
        JsonNode view = options.client().get("/v1/items/" + ApiClient.segment("ID", id));
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, view);
        } else {
            Printer.item(out, view);
        }
        return ExitCodes.OK;
    }
}
