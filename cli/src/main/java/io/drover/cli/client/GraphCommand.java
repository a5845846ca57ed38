package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drover graph submit|get|cancel|rerun}: one graph of tasks. It runs nothing itself: a
 * subcommand is required.
 */
@Command(
        name = "graph",
        mixinStandardHelpOptions = true,
        description = {
            "Submits, shows, cancels or re-runs one graph of tasks: tasks submitted as a",
            "unit, all or nothing, whose dependsOn name each other (see docs/workflows.md)."
        },
        subcommands = {
            GraphCommand.Submit.class,
            GraphCommand.Get.class,
            GraphCommand.Cancel.class,
            GraphCommand.Rerun.class
        },
        footer = {
            "",
            "Examples:",
            "  drover graph submit etl.json --wait",
            "  drover graph get etl-2026-12-02",
            "  drover graph cancel etl-2026-12-02",
            "  drover graph rerun etl-2026-12-02"
        })
public final class GraphCommand {
    private static final List<String> TASK_HEADER = List.of("ID", "TYPE", "STATE", "DEPENDS-ON");

    @Command(
            name = "submit",
            mixinStandardHelpOptions = true,
            description = {
                "Submits a graph from a JSON file (POST /v1/graphs):",
                "{\"id\": \"etl\", \"tasks\": [{\"id\": \"a\", \"type\": \"extract\"},",
                "  {\"id\": \"b\", \"type\": \"load\", \"dependsOn\": [\"a\"]}]}",
                "Each task takes the fields of drover submit's request; \"id\" of the graph is",
                "optional. Prints the graph id; with --wait, follows it to its end."
            },
            footer = {
                "",
                "Exit codes: 0 submitted (with --wait: succeeded), 1 the graph failed or was cancelled,",
                "2 bad input (a cycle or an unknown id is named), 3 API unreachable."
            })
    static final class Submit implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ClientOptions options;

        @Parameters(paramLabel = "FILE", description = "The graph, as JSON.")
        String file;

        @Option(
                names = "--wait",
                description = "Wait for the graph's end; exit 1 unless it succeeded.")
        boolean await;

        @Override
        public Integer call() throws InterruptedException {
            JsonNode body = JsonArgument.read("FILE", "@" + file);
            JsonNode r = options.client().post("/v1/graphs", body);
            PrintWriter out = spec.commandLine().getOut();
            String id = r.get("id").asText();
            if (!await) {
                if (options.json()) {
                    Printer.json(out, r);
                } else {
                    out.println(id);
                    out.flush();
                }
                return ExitCodes.OK;
            }
            JsonNode g = options.client().get(path(id));
            while (g.path("state").asText().equals("RUNNING")) {
                Thread.sleep(500); // a poll of a human's command, not a test's wait
                g = options.client().get(path(id));
            }
            show(out, g, options.json());
            return g.path("state").asText().equals("SUCCEEDED") ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = {
                "Shows one graph: its state, how many tasks are in each state, and every",
                "task with its state and the tasks it depends on."
            },
            footer = {"", "Exit codes: 0 shown, 4 no such graph, 3 API unreachable."})
    static final class Get implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ClientOptions options;

        @Parameters(paramLabel = "ID", description = "The graph id.")
        String id;

        @Override
        public Integer call() {
            show(spec.commandLine().getOut(), options.client().get(path(id)), options.json());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = {
                "Cancels every task of a graph that has not ended; the graph then ends",
                "CANCELLED (FAILED if one of its tasks failed)."
            },
            footer = {"", "Exit codes: 0 asked, 4 no such graph, 3 API unreachable."})
    static final class Cancel implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ClientOptions options;

        @Parameters(paramLabel = "ID", description = "The graph id.")
        String id;

        @Override
        public Integer call() {
            return act(
                    spec,
                    options,
                    options.client().post(path(id) + "/cancel", null),
                    "asked to cancel");
        }
    }

    @Command(
            name = "rerun",
            mixinStandardHelpOptions = true,
            description = {
                "Re-runs an ended graph from its failed tasks: every FAILED or CANCELLED task",
                "runs again (a dependency before its dependents); the others are kept."
            },
            footer = {
                "",
                "Exit codes: 0 re-run, 1 the graph runs or has nothing to re-run, 4 no such graph."
            })
    static final class Rerun implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ClientOptions options;

        @Parameters(paramLabel = "ID", description = "The graph id.")
        String id;

        @Override
        public Integer call() {
            return act(spec, options, options.client().post(path(id) + "/rerun", null), "re-run");
        }
    }

    private static String path(String id) {
        return "/v1/graphs/" + ApiClient.segment("ID", id);
    }

    private static int act(CommandSpec spec, ClientOptions options, JsonNode r, String what) {
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, r);
        } else {
            out.println(r.path("id").asText() + ": " + r.path("tasks").asInt() + " tasks " + what);
            out.flush();
        }
        return ExitCodes.OK;
    }

    static void show(PrintWriter out, JsonNode g, boolean json) {
        if (json) {
            Printer.json(out, g);
            return;
        }
        out.printf("%-10s %s%n", "id:", g.path("id").asText());
        out.printf("%-10s %s%n", "state:", g.path("state").asText());
        out.printf("%-10s %s%n", "tasks:", g.path("size").asText());
        List<String> counts = new ArrayList<>();
        g.path("counts")
                .properties()
                .forEach(e -> counts.add(e.getKey() + " " + e.getValue().asText()));
        out.printf("%-10s %s%n", "now:", counts.isEmpty() ? "-" : String.join(", ", counts));
        if (g.path("reruns").asInt() > 0) {
            out.printf("%-10s %s%n", "reruns:", g.path("reruns").asText());
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode t : g.path("tasks")) {
            rows.add(
                    List.of(
                            Printer.text(t, "id"),
                            Printer.text(t, "type"),
                            Printer.text(t, "state"),
                            Printer.clip(Printer.list(t.path("dependsOn")), 80)));
        }
        Printer.table(out, TASK_HEADER, rows);
    }
}
