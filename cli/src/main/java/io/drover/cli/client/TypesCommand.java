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
        name = "types",
        mixinStandardHelpOptions = true,
        description = {
            "Lists task types: every type with a policy, a circuit breaker state or tasks",
            "not yet ended, with its limits, its breaker and its pending and running tasks."
        },
        footer = {
            "",
            "Examples:",
            "  drover types",
            "  drover types -o json",
            "",
            "'-' means no limit, no breaker or no count yet. PENDING and RUNNING are the",
            "leader's counts of a second or so ago; RUNNING includes tasks assigned to a",
            "worker that has not started them yet."
        })
public final class TypesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Override
    public Integer call() {
        JsonNode types = options.client().get("/v1/types").get("types");
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, types);
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        types.forEach(t -> rows.add(Printer.typeRow(t)));
        Printer.table(out, Printer.TYPE_HEADER, rows);
        return ExitCodes.OK;
    }
}
