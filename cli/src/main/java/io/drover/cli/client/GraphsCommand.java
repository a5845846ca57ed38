package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "graphs",
        mixinStandardHelpOptions = true,
        description = {
            "Lists graphs of tasks by id: state, size, when created and finished, and",
            "how their tasks ended (succeeded/failed/cancelled) once they have."
        },
        footer = {"", "Examples:", "  drover graphs", "  drover graphs --limit 100 -o json"})
public final class GraphsCommand implements Callable<Integer> {
    private static final List<String> HEADER =
            List.of("ID", "STATE", "TASKS", "CREATED", "FINISHED", "ENDED");

    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Option(names = "--limit", description = "Graphs to show at most (default 20, at most 100).")
    Integer limit;

    @Option(names = "--page-token", description = "Go on from where a listing stopped.")
    String pageToken;

    @Override
    public Integer call() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("limit", limit);
        query.put("pageToken", pageToken);
        JsonNode page = options.client().get(ApiClient.query("/v1/graphs", query));
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, page);
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode g : page.path("graphs")) {
            JsonNode e = g.path("ended");
            rows.add(
                    List.of(
                            Printer.text(g, "id"),
                            Printer.text(g, "state"),
                            Printer.text(g, "size"),
                            time(g.path("createdAtMs")),
                            time(g.path("finishedAtMs")),
                            e.isMissingNode()
                                    ? "-"
                                    : e.path("succeeded").asText()
                                            + "/"
                                            + e.path("failed").asText()
                                            + "/"
                                            + e.path("cancelled").asText()));
        }
        Printer.table(out, HEADER, rows);
        if (page.hasNonNull("nextPageToken")) {
            out.println("more: --page-token " + page.get("nextPageToken").asText());
            out.flush();
        }
        return ExitCodes.OK;
    }

    private static String time(JsonNode ms) {
        return ms.canConvertToLong() && ms.asLong() > 0
                ? Instant.ofEpochMilli(ms.asLong()).toString()
                : "-";
    }
}
