package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "items",
        mixinStandardHelpOptions = true,
        description = {
            "Lists load/drop items by id: replicas wanted and served, state, and the",
            "workers serving, loading and dropping each."
        },
        footer = {
            "",
            "Examples:",
            "  drover items",
            "  drover items -o json",
            "",
            "STATE compares served replicas with wanted ones: SERVED, UNDER_REPLICATED,",
            "UNSERVED (none served) or OVER_REPLICATED."
        })
public final class ItemsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Override
    public Integer call() {
        JsonNode items = options.client().get("/v1/items").get("items");
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, items);
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        items.forEach(i -> rows.add(Printer.itemRow(i)));
        Printer.table(out, Printer.ITEM_HEADER, rows);
        return ExitCodes.OK;
    }
}
