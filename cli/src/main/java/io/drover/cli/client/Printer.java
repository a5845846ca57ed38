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
            out.println(DroverJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
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
        return List.of(text(t, "id"), text(t, "type"), text(t, "state"), text(t, "attempt") + "/" + text(t, "maxAttempts"),
                text(t, "worker"), clip(text(t, "error"), 60));
    }

    static final List<String> TASK_HEADER = List.of("ID", "TYPE", "STATE", "ATTEMPT", "WORKER", "ERROR");
}
