package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drover schedule put|get|pause|resume|delete}: one cron schedule. It runs nothing itself: a
 * subcommand is required.
 */
@Command(
        name = "schedule",
        mixinStandardHelpOptions = true,
        description = {
            "Defines, shows, pauses, resumes or removes one cron schedule: the leader",
            "submits its task at every tick (cron with seconds, in a time zone)."
        },
        subcommands = {
            SchedulePutCommand.class,
            ScheduleCommand.Get.class,
            ScheduleCommand.Pause.class,
            ScheduleCommand.Resume.class,
            ScheduleCommand.Delete.class
        },
        footer = {
            "",
            "Examples:",
            "  drover schedule put nightly-report --cron '0 0 2 * * *' --zone Europe/Paris --type report",
            "  drover schedule get nightly-report",
            "  drover schedule pause nightly-report",
            "  drover schedule resume nightly-report",
            "  drover schedule delete nightly-report"
        })
public final class ScheduleCommand {
    private ScheduleCommand() {}

    static String path(String id) {
        io.drover.model.Names.checkName("ID", id);
        return "/v1/schedules/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    /** What the one-schedule subcommands share: the client, the id, the output. */
    abstract static class One implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin ClientOptions options;

        @Parameters(paramLabel = "ID", description = "The schedule's id.")
        String id;

        /** Prints a schedule as JSON or a field per line, after an optional headline. */
        int print(JsonNode view, String headline) {
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                Printer.json(out, view);
            } else {
                if (headline != null) {
                    out.println(headline);
                }
                SchedulePrinter.schedule(out, view);
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description =
                    "Shows one schedule: its cron, zone, policies, task and what it fired last.",
            footer = {"", "Exit codes: 0 shown, 4 no such schedule, 3 API unreachable."})
    static final class Get extends One {
        @Override
        public Integer call() {
            return print(options.client().get(path(id)), null);
        }
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = {
                "Pauses a schedule: it fires nothing until resumed, and the ticks meanwhile are",
                "never fired, whatever its misfire policy."
            },
            footer = {
                "",
                "Exit codes: 0 paused, 4 no such schedule, 5 not allowed (operator role)."
            })
    static final class Pause extends One {
        @Override
        public Integer call() {
            return print(options.client().post(path(id) + "/pause", null), id + " paused");
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = "Resumes a paused schedule: it fires from its next tick after now.",
            footer = {
                "",
                "Exit codes: 0 resumed, 4 no such schedule, 5 not allowed (operator role)."
            })
    static final class Resume extends One {
        @Override
        public Integer call() {
            return print(options.client().post(path(id) + "/resume", null), id + " resumed");
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Removes a schedule: it fires no more. The tasks it fired stay.",
            footer = {
                "",
                "Exit codes: 0 deleted, 4 no such schedule, 5 not allowed (operator role)."
            })
    static final class Delete extends One {
        @Override
        public Integer call() {
            JsonNode r = options.client().delete(path(id));
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                Printer.json(out, r);
            } else {
                out.println("deleted schedule " + id + "; the tasks it fired stay");
                out.flush();
            }
            return ExitCodes.OK;
        }
    }
}
