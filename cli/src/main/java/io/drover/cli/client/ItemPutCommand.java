package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.server.api.PutItemRequest;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "put",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Declares an item, or sets its replicas and labels (PUT /v1/items/ID).",
            "This is the item's whole desired state: labels left out mean none.",
            "The spec is fixed once the item exists: repeat it to change replicas or",
            "labels (a different spec is refused; delete the item first)."
        },
        footer = {
            "",
            "Examples:",
            "  drover item put seg-1 --replicas 2 --spec '{\"uri\":\"s3://b/seg-1\"}'",
            "  drover item put seg-1 --replicas 3 --spec @seg-1.json --label tier=hot",
            "  drover item put seg-1 --replicas 0 --spec @seg-1.json   # declared, served nowhere",
            "",
            "Exit codes: 0 created, updated or unchanged; 1 a different spec exists;",
            "2 bad input; 3 API unreachable."
        })
public final class ItemPutCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Parameters(
            paramLabel = "ID",
            description =
                    "The item id: 1-128 of A-Z a-z 0-9 . _ : - starting with a letter or digit.")
    String id;

    @Option(
            names = "--replicas",
            required = true,
            paramLabel = "N",
            description = "How many workers should serve it, 0 to 64.")
    int replicas;

    @Option(
            names = "--spec",
            paramLabel = "JSON|@FILE",
            description =
                    "What the item handler needs to load it: JSON text, or @FILE to read it from a file (at most 16 KiB).")
    String itemSpec;

    @Option(
            names = "--label",
            paramLabel = "KEY=VALUE",
            description = "A label the serving workers must have, k=v; repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Override
    public Integer call() {
        PutItemRequest request =
                new PutItemRequest(
                        replicas,
                        JsonArgument.read("--spec", itemSpec),
                        labels.isEmpty() ? null : labels);
        JsonNode view = options.client().put("/v1/items/" + ApiClient.segment("ID", id), request);
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, view);
            return ExitCodes.OK;
        }
        out.println(
                id
                        + (view.path("created").asBoolean()
                                ? " created"
                                : view.path("changed").asBoolean() ? " updated" : " unchanged"));
        Printer.item(out, view);
        return ExitCodes.OK;
    }
}
