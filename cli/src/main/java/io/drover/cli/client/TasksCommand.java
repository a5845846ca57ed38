package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.model.InvalidTaskException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "tasks",
        mixinStandardHelpOptions = true,
        description = {
            "Lists tasks newest first, optionally filtered by state and type: the tasks in",
            "flight (assigned, running) and then the pending ones, newest submitted first,",
            "then the ended ones, newest finished first. A state filter shows only its part."
        },
        footer = {
            "",
            "Examples:",
            "  drover tasks",
            "  drover tasks --state FAILED --type resize -o json",
            "  drover tasks --state RUNNING --limit 1000"
        })
public final class TasksCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Option(
            names = "--state",
            description = "WAITING, PENDING, ASSIGNED, RUNNING, SUCCEEDED, FAILED or CANCELLED.")
    String state;

    @Option(names = "--type", description = "Only tasks of this type.")
    String type;

    @Option(
            names = "--limit",
            description = "Show at most this many (default: ${DEFAULT-VALUE}).",
            defaultValue = "100")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 100_000) {
            throw new InvalidTaskException("--limit", "must be between 1 and 100000, was " + limit);
        }
        TaskPages.Listing listing = TaskPages.list(options.client(), state, type, limit);
        List<JsonNode> tasks = listing.tasks();
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, DroverJson.mapper().valueToTree(tasks));
        } else {
            List<List<String>> rows = new ArrayList<>();
            tasks.forEach(t -> rows.add(Printer.taskRow(t)));
            Printer.table(out, Printer.TASK_HEADER, rows);
            if (listing.more()) {
                out.println("(more than " + limit + "; raise --limit to see more)");
                out.flush();
            }
        }
        return ExitCodes.OK;
    }
}
