package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Schedules as {@code drover schedules} and {@code drover schedule get} show them. */
final class SchedulePrinter {
    private SchedulePrinter() {}

    static final List<String> HEADER =
            List.of("ID", "CRON", "ZONE", "PAUSED", "NEXT TICK", "LAST FIRED TICK", "LAST TASK");

    /** One row; times in the schedule's own zone, as its cron reads them. */
    static List<String> row(JsonNode s) {
        if (s.hasNonNull("error")) {
            return List.of(
                    Printer.text(s, "id"),
                    "UNREADABLE: " + Printer.clip(Printer.text(s, "error"), 60),
                    "-",
                    "-",
                    "-",
                    "-",
                    "-");
        }
        return List.of(
                Printer.text(s, "id"),
                Printer.text(s, "cron"),
                Printer.text(s, "zone"),
                s.path("paused").asBoolean() ? "yes" : "no",
                time(s, "nextTickMs"),
                time(s, "lastFiredTickMs"),
                Printer.text(s, "lastTaskId"));
    }

    /** One schedule, a field per line. */
    static void schedule(PrintWriter out, JsonNode s) {
        line(out, "id:", Printer.text(s, "id"));
        if (s.hasNonNull("error")) {
            line(out, "error:", Printer.text(s, "error"));
            out.flush();
            return;
        }
        JsonNode task = s.path("task");
        line(out, "cron:", Printer.text(s, "cron"));
        line(out, "zone:", Printer.text(s, "zone"));
        line(out, "paused:", s.path("paused").asBoolean() ? "yes" : "no");
        line(out, "misfire:", Printer.text(s, "misfire"));
        line(out, "overlap:", Printer.text(s, "overlap"));
        line(out, "type:", Printer.text(task, "type"));
        line(out, "payload:", Printer.clip(Printer.text(task, "payload"), 200));
        line(out, "priority:", Printer.text(task, "priority"));
        line(out, "maxAttempts:", Printer.text(task, "maxAttempts"));
        line(out, "labels:", Printer.labels(task.path("labels")));
        line(out, "nextTick:", time(s, "nextTickMs"));
        line(out, "lastTick:", time(s, "lastTickMs"));
        line(out, "lastFiredTick:", time(s, "lastFiredTickMs"));
        line(out, "lastTask:", Printer.text(s, "lastTaskId"));
        line(out, "revision:", Printer.text(s, "revision"));
        out.flush();
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("%-15s %s%n", label, value);
    }

    /** A time field in the schedule's zone ({@code 2026-01-02T02:00:00+01:00}), or "-". */
    static String time(JsonNode s, String field) {
        JsonNode ms = s.path(field);
        if (!ms.canConvertToLong() || ms.asLong() <= 0) {
            return "-";
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(s.path("zone").asText("UTC"));
        } catch (DateTimeException e) {
            zone = ZoneId.of("UTC");
        }
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                Instant.ofEpochMilli(ms.asLong()).atZone(zone));
    }
}
