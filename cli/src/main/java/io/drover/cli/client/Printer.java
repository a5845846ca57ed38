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

    /**
     * A task's broadcast side under {@code drover task}: a broadcast's policy, tally and one row
     * per worker's response (state, attempt, task, result or error); or a response's broadcast.
     */
    static void broadcast(PrintWriter out, JsonNode b) {
        if (b.hasNonNull("parentId")) {
            out.printf(
                    "%-14s response of %s, on worker %s only%n",
                    "broadcast:", text(b, "parentId"), text(b, "targetWorker"));
            return;
        }
        String tally =
                b.has("workers")
                        ? ", "
                                + text(b, "succeeded")
                                + " of "
                                + text(b, "workers")
                                + " responses succeeded ("
                                + text(b, "needed")
                                + " needed)"
                        : ", not fanned out yet";
        String deadline =
                b.has("deadlineMs")
                        ? ", gathering until "
                                + java.time.Instant.ofEpochMilli(b.get("deadlineMs").asLong())
                        : "";
        out.printf("%-14s %s%s%s%n", "broadcast:", text(b, "success"), tally, deadline);
        if (b.path("responses").size() == 0) {
            return;
        }
        out.println("responses:");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : b.get("responses")) {
            String outcome =
                    r.hasNonNull("error")
                            ? text(r, "error")
                            : r.path("resultOmitted").asBoolean()
                                    ? "(result omitted: drover task " + text(r, "taskId") + ")"
                                    : text(r, "result");
            rows.add(
                    List.of(
                            "  " + text(r, "workerId"),
                            text(r, "state"),
                            text(r, "attempt"),
                            text(r, "taskId"),
                            clip(outcome, 80)));
        }
        table(out, List.of("  WORKER", "STATE", "ATTEMPT", "TASK", "RESULT/ERROR"), rows);
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

    static final List<String> TYPE_HEADER =
            List.of(
                    "TYPE",
                    "MAX-CONCURRENT",
                    "MAX-LIVE",
                    "RATE",
                    "BREAKER",
                    "WHEN-OPEN",
                    "BREAKER-STATE",
                    "PENDING",
                    "RUNNING");

    /** A type as a row of {@code drover types}; "-" for no limit, no breaker, no count. */
    static List<String> typeRow(JsonNode t) {
        JsonNode p = t.path("policy");
        return List.of(
                text(t, "type"),
                limit(p.path("maxConcurrent")),
                limit(p.path("maxLiveTasks")),
                rate(p.path("rateLimit"), ",burst="),
                breakerSpec(p.path("breaker")),
                whenOpen(p),
                breakerState(t.path("breaker")),
                text(t, "pending"),
                text(t, "running"));
    }

    /** One type, a field per line, as {@code drover type get} shows it. */
    static void type(PrintWriter out, JsonNode t) {
        JsonNode p = t.path("policy");
        out.printf("%-15s %s%n", "type:", text(t, "type"));
        out.printf(
                "%-15s %s%n",
                "policy:",
                p.isObject() ? "version " + text(t, "policyVersion") : "none (no limits)");
        out.printf("%-15s %s%n", "maxConcurrent:", limit(p.path("maxConcurrent")));
        out.printf("%-15s %s%n", "maxLiveTasks:", limit(p.path("maxLiveTasks")));
        out.printf("%-15s %s%n", "rateLimit:", rate(p.path("rateLimit"), ", burst "));
        out.printf("%-15s %s%n", "breaker:", breakerSpec(p.path("breaker")));
        out.printf("%-15s %s%n", "whenOpen:", whenOpen(p));
        out.printf("%-15s %s%n", "breakerState:", breakerState(t.path("breaker")));
        out.printf("%-15s %s%n", "pending:", text(t, "pending"));
        out.printf("%-15s %s%n", "running:", text(t, "running"));
        if (t.hasNonNull("error")) {
            out.printf("%-15s %s%n", "error:", text(t, "error"));
        }
        out.flush();
    }

    /** A positive limit as itself; 0 (no limit) or absent as "-". */
    private static String limit(JsonNode n) {
        return n.canConvertToLong() && n.asLong() > 0 ? n.asText() : "-";
    }

    /** A breaker policy in the syntax {@code drover type set --breaker} takes, or "-" for none. */
    static String breakerSpec(JsonNode b) {
        if (!b.isObject()) {
            return "-";
        }
        return "failureRate="
                + b.path("failureRateThreshold").asText()
                + ",window="
                + b.path("windowSize").asText()
                + ",minCalls="
                + b.path("minCalls").asText()
                + ",open="
                + Durations.format(b.path("openMs").asLong());
    }

    /** A rate limit as {@code --rate} takes it, then its burst; "-" for none. */
    private static String rate(JsonNode r, String burst) {
        if (!r.isObject()) {
            return "-";
        }
        return new io.drover.model.RateLimit(r.path("perSecond").asDouble(), 1).perUnit()
                + burst
                + r.path("burst").asText();
    }

    /** What the breaker does while open: WAIT, FAIL_FAST, FALLBACK:type; "-" without a breaker. */
    private static String whenOpen(JsonNode p) {
        if (!p.path("breaker").isObject()) {
            return "-";
        }
        String mode = p.path("whenOpen").asText("WAIT");
        return p.hasNonNull("fallbackType") ? mode + ":" + p.get("fallbackType").asText() : mode;
    }

    /** CLOSED, OPEN until a time, HALF_OPEN; "-" for a breaker that never changed state. */
    static String breakerState(JsonNode b) {
        if (!b.isObject()) {
            return "-";
        }
        String state = text(b, "state");
        return b.hasNonNull("openUntilMs") ? state + " until " + time(b.get("openUntilMs")) : state;
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
