package io.drover.cli.client;

import io.drover.server.api.PutScheduleRequest;
import io.drover.server.api.SubmitRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "put",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Defines a cron schedule, or replaces its whole definition (PUT /v1/schedules/ID):",
            "at every tick the leader submits a task of --type, named <ID>:<tick in UTC>, such",
            "as nightly-report:20260102T010000Z. What the schedule fired so far is kept, so no",
            "tick fires twice; a new cron or zone fires only the ticks after now.",
            "",
            "The cron has six fields, seconds first (Spring's syntax): second minute hour",
            "day-of-month month day-of-week, e.g. '0 0 2 * * *' (02:00 daily), '0 */15 9-17 * * MON-FRI',",
            "'*/10 * * * * *' (every 10 s); or @daily, @hourly, @weekly, @monthly, @yearly."
        },
        footer = {
            "",
            "Examples:",
            "  drover schedule put nightly-report --cron '0 0 2 * * *' --zone Europe/Paris \\",
            "      --type report --payload '{\"day\":\"yesterday\"}' --misfire fire-once",
            "  drover schedule put heartbeat --cron '*/10 * * * * *' --type ping --overlap allow",
            "",
            "Exit codes: 0 defined; 2 bad input (the message names the field); 3 API unreachable;",
            "5 not allowed (it needs the operator role)."
        })
final class SchedulePutCommand extends ScheduleCommand.One {
    @Option(
            names = "--cron",
            required = true,
            paramLabel = "EXPR",
            description = "When it fires: six fields with seconds, quoted, e.g. '0 0 2 * * *'.")
    String cron;

    @Option(
            names = "--zone",
            paramLabel = "ZONE",
            description =
                    "The IANA time zone the cron is read in, e.g. Europe/Paris (default UTC).")
    String zone;

    @Option(names = "--type", required = true, description = "The handler type of its tasks.")
    String type;

    @Option(
            names = "--payload",
            description = "The tasks' payload: JSON text, or @FILE to read it from a file.")
    String payload;

    @Option(names = "--priority", description = "Higher runs first (default 0).")
    Integer priority;

    @Option(
            names = "--max-attempts",
            description = "Attempts before a task fails for good (default 3).")
    Integer maxAttempts;

    @Option(
            names = "--timeout",
            description = "Execution timeout of one attempt, e.g. 30s or 5m (default none).")
    String timeout;

    @Option(names = "--label", description = "A label the worker must have, k=v; repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(
            names = "--misfire",
            paramLabel = "skip|fire-once",
            description =
                    "Ticks no leader fired within 5 s (no leader, or a busy one): skip them (default),"
                            + " or fire one task for all of them.")
    String misfire;

    @Option(
            names = "--overlap",
            paramLabel = "skip|allow",
            description =
                    "A tick while the last task has not ended: skip it (default), or fire all the same.")
    String overlap;

    @Option(names = "--paused", description = "Define it paused ('schedule resume' starts it).")
    boolean paused;

    @Override
    public Integer call() {
        SubmitRequest task =
                SubmitRequest.of(
                        type,
                        JsonArgument.read("--payload", payload),
                        priority,
                        maxAttempts,
                        timeout == null ? null : Durations.toMillis("--timeout", timeout),
                        labels);
        var view =
                options.client()
                        .put(
                                ScheduleCommand.path(id),
                                new PutScheduleRequest(
                                        cron, zone, task, misfire, overlap, paused ? true : null));
        return print(view, id + " defined");
    }
}
