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
        name = "workers",
        mixinStandardHelpOptions = true,
        description =
                "Lists live workers: state, tasks held, capacity, items served, types and labels.",
        footer = {"", "Examples:", "  drover workers", "  drover workers -o json"})
public final class WorkersCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Override
    public Integer call() {
        JsonNode workers = options.client().get("/v1/workers").get("workers");
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, workers);
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode w : workers) {
            String state =
                    w.path("state").asText()
                            + (w.path("drainRequested").asBoolean() ? " (drain requested)" : "")
                            + (w.has("rejected") ? ": " + w.path("rejected").asText() : "");
            List<String> types = new ArrayList<>();
            w.path("taskTypes").forEach(t -> types.add(t.asText()));
            // ITEMS: load/drop items it serves; "-" for a worker without an item handler, which
            // never gets any.
            String items =
                    w.path("servesItems").asBoolean() || w.path("items").asInt() > 0
                            ? w.path("items").asText()
                            : "-";
            rows.add(
                    List.of(
                            w.path("id").asText(),
                            state,
                            w.path("tasks").asText(),
                            w.path("capacity").asText(),
                            items,
                            String.join(",", types),
                            Printer.labels(w.path("labels"))));
        }
        Printer.table(
                out, List.of("ID", "STATE", "TASKS", "CAPACITY", "ITEMS", "TYPES", "LABELS"), rows);
        return ExitCodes.OK;
    }
}
