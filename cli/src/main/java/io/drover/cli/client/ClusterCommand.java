package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description =
                "Shows the leader, its epoch, the coordinators, task counts and the number of items.",
        footer = {"", "Examples:", "  drover cluster", "  drover cluster -o json"})
public final class ClusterCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Override
    public Integer call() {
        JsonNode c = options.client().get("/v1/cluster");
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, c);
            return ExitCodes.OK;
        }
        out.printf("cluster:       %s%n", c.path("cluster").asText());
        out.printf(
                "leader:        %s (epoch %d)%n",
                c.hasNonNull("leader") ? c.get("leader").asText() : "none",
                c.path("epoch").asLong());
        StringBuilder coordinators = new StringBuilder();
        for (JsonNode k : c.path("coordinators")) {
            coordinators
                    .append(coordinators.isEmpty() ? "" : ", ")
                    .append(k.path("id").asText())
                    .append(k.hasNonNull("apiUrl") ? " " + k.get("apiUrl").asText() : "");
        }
        out.printf("coordinators:  %s%n", coordinators.isEmpty() ? "none" : coordinators);
        out.printf("workers:       %d%n", c.path("workers").asInt());
        out.printf(
                "items:         %d (drover items shows how they are served)%n",
                c.path("items").asInt());
        JsonNode t = c.path("tasks");
        // the split is the leader's count; a new leader publishes it once it has counted
        String split =
                t.has("succeeded")
                        ? String.format(
                                ": %d succeeded, %d failed, %d cancelled",
                                t.path("succeeded").asLong(),
                                t.path("failed").asLong(),
                                t.path("cancelled").asLong())
                        : "";
        out.printf(
                "tasks:         %d pending, %d assigned, %d running, %d finished%s (%d retained)%n",
                t.path("pending").asLong(),
                t.path("assigned").asLong(),
                t.path("running").asLong(),
                t.path("finished").asLong(),
                split,
                t.path("total").asLong());
        out.flush();
        return ExitCodes.OK;
    }
}
