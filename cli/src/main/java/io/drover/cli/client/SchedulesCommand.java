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
        name = "schedules",
        mixinStandardHelpOptions = true,
        description = {
            "Lists cron schedules: when each fires next, the last tick it fired and that",
            "tick's task (named <schedule>:<tick in UTC>)."
        },
        footer = {
            "",
            "Examples:",
            "  drover schedules",
            "  drover schedules -o json",
            "",
            "Times are in each schedule's own zone; '-' means none (yet)."
        })
public final class SchedulesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Override
    public Integer call() {
        JsonNode schedules = options.client().get("/v1/schedules").get("schedules");
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            Printer.json(out, schedules);
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        schedules.forEach(s -> rows.add(SchedulePrinter.row(s)));
        Printer.table(out, SchedulePrinter.HEADER, rows);
        return ExitCodes.OK;
    }
}
