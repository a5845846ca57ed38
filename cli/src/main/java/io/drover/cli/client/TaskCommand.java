package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "task",
        mixinStandardHelpOptions = true,
        description =
                "Shows one task: state, worker, result or error, why it waits if pending or waiting, the tasks it depends on and (in a graph) its dependents, a broadcast's responses, and its last 16 attempts.",
        footer = {
            "",
            "Examples:",
            "  drover task 3f2a...",
            "  drover task my-task -o json",
            "",
            "Exit codes: 0 shown, 4 no such task, 3 API unreachable."
        })
public final class TaskCommand implements Callable<Integer> {
    private static final Set<String> TIMES =
            Set.of("submittedAtMs", "startedAtMs", "finishedAtMs", "notBeforeMs");

    /** Fields shown as sections of their own, after the others. */
    private static final Set<String> SECTIONS = Set.of("attempts", "broadcast");

    /** Lists of linked tasks, shown one per line after the fields. */
    private static final java.util.List<String> LINKS =
            java.util.List.of("dependsOn", "dependents");

    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Parameters(paramLabel = "ID", description = "The task id.")
    String id;

    @Override
    public Integer call() {
        JsonNode t = options.client().get("/v1/tasks/" + ApiClient.segment("ID", id));
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, t);
            return ExitCodes.OK;
        }
        print(out, t);
        return ExitCodes.OK;
    }

    /** One task, a field per line, then its broadcast side and its attempts. */
    static void print(PrintWriter out, JsonNode t) {
        // a broadcast's result is its responses, shown as a table below
        boolean responses = t.path("broadcast").has("responses");
        for (Map.Entry<String, JsonNode> f : t.properties()) {
            if (f.getValue().isNull()
                    || SECTIONS.contains(f.getKey())
                    || LINKS.contains(f.getKey())
                    || (responses && f.getKey().equals("result"))) {
                continue;
            }
            String value =
                    TIMES.contains(f.getKey()) && f.getValue().canConvertToLong()
                            ? Instant.ofEpochMilli(f.getValue().asLong()).toString()
                            : f.getValue().isValueNode()
                                    ? f.getValue().asText()
                                    : f.getValue().toString();
            out.printf("%-14s %s%n", f.getKey().replace("AtMs", "At") + ":", value);
        }
        for (String links : LINKS) {
            if (t.path(links).size() > 0) {
                out.println(links + ":");
                for (JsonNode l : t.get(links)) {
                    out.printf("  %-40s %s%n", l.path("id").asText(), l.path("state").asText());
                }
            }
        }
        if (t.hasNonNull("broadcast")) {
            Printer.broadcast(out, t.get("broadcast"));
        }
        if (t.path("attempts").size() > 0) {
            out.println("attempts:");
            Printer.attempts(out, t.get("attempts"));
        }
        out.flush();
    }
}
