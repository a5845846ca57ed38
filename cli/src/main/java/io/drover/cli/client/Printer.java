package io.drover.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Tables and JSON for the client commands. */
final class Printer {
    private Printer() {}

    static void json(PrintWriter out, JsonNode node) {
        try {
            out.println(
                    DroverJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** A left-aligned table: header, then one row per line, columns two spaces apart. */
    static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                sb.append(row.get(i));
                if (i < row.size() - 1) {
                    sb.append(" ".repeat(width[i] - row.get(i).length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "-" : v.isValueNode() ? v.asText() : v.toString();
    }

    static String clip(String s, int max) {
        String oneLine = s.replace('\n', ' ');
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
    }

    static List<String> taskRow(JsonNode t) {
        return List.of(
                text(t, "id"),
                text(t, "type"),
                text(t, "state"),
                text(t, "attempt") + "/" + text(t, "maxAttempts"),
                text(t, "worker"),
                clip(text(t, "error"), 60));
    }

    static final List<String> TASK_HEADER =
            List.of("ID", "TYPE", "STATE", "ATTEMPT", "WORKER", "ERROR");

    /**
     * A task's attempts, oldest first, indented under {@code drover task}: series and attempt,
     * worker, outcome, start, duration, fencing token, error.
     */
    static void attempts(PrintWriter out, JsonNode attempts) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("  #", "WORKER", "OUTCOME", "STARTED", "TOOK", "TOKEN", "ERROR"));
        for (JsonNode a : attempts) {
            long start = a.path("startedAtMs").asLong(0);
            long end = a.path("endedAtMs").asLong(0);
            rows.add(
                    List.of(
                            "  " + text(a, "series") + "." + text(a, "attempt"),
                            text(a, "worker"),
                            text(a, "outcome"),
                            start > 0 ? java.time.Instant.ofEpochMilli(start).toString() : "-",
                            start > 0 && end >= start ? (end - start) + " ms" : "-",
                            text(a, "fencingToken"),
                            clip(text(a, "error"), 60)));
        }
        table(out, rows.get(0), rows.subList(1, rows.size()));
    }

    static final List<String> ITEM_HEADER =
            List.of("ID", "REPLICAS", "SERVED", "STATE", "SERVED BY", "LOADING", "DROPPING");

    static List<String> itemRow(JsonNode i) {
        return List.of(
                text(i, "id"),
                text(i, "replicas"),
                text(i, "served"),
                text(i, "state"),
                list(i.path("servedBy")),
                list(i.path("loading")),
                list(i.path("dropping")));
    }

    /** One item, a field per line, as {@code drover item get} shows it. */
    static void item(PrintWriter out, JsonNode i) {
        out.printf("%-11s %s%n", "id:", text(i, "id"));
        out.printf(
                "%-11s %s wanted, %s served (%s)%n",
                "replicas:", text(i, "replicas"), text(i, "served"), text(i, "state"));
        out.printf("%-11s %s%n", "servedBy:", list(i.path("servedBy")));
        out.printf("%-11s %s%n", "loading:", list(i.path("loading")));
        out.printf("%-11s %s%n", "dropping:", list(i.path("dropping")));
        out.printf("%-11s %s%n", "labels:", labels(i.path("labels")));
        out.printf("%-11s %s%n", "spec:", clip(text(i, "spec"), 200));
        out.printf("%-11s %s%n", "createdAt:", time(i.path("createdAtMs")));
        out.printf("%-11s %s%n", "updatedAt:", time(i.path("updatedAtMs")));
        out.flush();
    }

    /** A JSON array of strings as a comma list, or "-" when empty. */
    static String list(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values.isEmpty() ? "-" : String.join(",", values);
    }

    /** A JSON object of labels as k=v,k=v, or "-" when there are none. */
    static String labels(JsonNode object) {
        List<String> values = new ArrayList<>();
        object.properties().forEach(e -> values.add(e.getKey() + "=" + e.getValue().asText()));
        return values.isEmpty() ? "-" : String.join(",", values);
    }

    private static String time(JsonNode ms) {
        return ms.canConvertToLong() && ms.asLong() > 0
                ? java.time.Instant.ofEpochMilli(ms.asLong()).toString()
                : "-";
    }
}
