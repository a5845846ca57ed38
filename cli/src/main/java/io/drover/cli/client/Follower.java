package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Follows tasks over the API until they end, drawing a progress bar (on a terminal: redrawn in
 * place; otherwise one line per change). The API is HTTP, so this polls, starting at 100 ms and
 * backing off to 1 s; the server side stays watch-based.
 */
final class Follower {
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final int BAR = 30;

    /**
     * How long the API may stay unreachable (a coordinator restarting, a ZooKeeper hiccup) before
     * the wait is given up.
     */
    static final long GIVE_UP_MS = 120_000;

    private final ApiClient api;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean terminal = System.console() != null;

    Follower(ApiClient api, PrintWriter out, PrintWriter err, boolean json) {
        this.api = api;
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /** Blocks until every task has ended; the exit code is 0 only if all succeeded. */
    int follow(List<String> ids) {
        Map<String, JsonNode> last = new LinkedHashMap<>();
        List<String> open = new ArrayList<>(ids);
        long pauseMs = 100;
        String shown = "";
        long failingSinceMs = 0;
        while (!open.isEmpty()) {
            String line;
            try {
                for (String id : new ArrayList<>(open)) {
                    JsonNode t = api.get("/v1/tasks/" + ApiClient.segment("ID", id));
                    last.put(id, t);
                    if (TERMINAL.contains(t.path("state").asText())) {
                        open.remove(id);
                    }
                }
                failingSinceMs = 0;
                line = ids.size() == 1 ? single(last.get(ids.get(0))) : many(last, ids.size());
            } catch (ApiException e) {
                long now = System.currentTimeMillis();
                failingSinceMs = failingSinceMs == 0 ? now : failingSinceMs;
                if (!e.isRetryable() || now - failingSinceMs > GIVE_UP_MS) {
                    endLine(shown);
                    throw new ApiException(
                            e.getMessage()
                                    + "; stopped waiting for "
                                    + describe(ids)
                                    + ", which were submitted: do not resubmit blindly",
                            e.isRetryable() ? ExitCodes.FAILED : e.exitCode(),
                            false,
                            e);
                }
                line = "waiting for the API (" + Printer.clip(e.getMessage(), 60) + ")";
            }
            if (!line.equals(shown)) {
                err.print(terminal ? "\r" + line + "\033[K" : line + "\n");
                err.flush();
                shown = line;
            }
            if (!open.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
                if (Thread.currentThread().isInterrupted()) {
                    throw new ApiException(
                            "interrupted while waiting", ExitCodes.FAILED, false, null);
                }
                pauseMs = Math.min(1_000, pauseMs * 2);
            }
        }
        if (terminal) {
            err.println();
        }
        if (json) {
            Printer.json(
                    out,
                    ids.size() == 1
                            ? last.get(ids.get(0))
                            : DroverJson.mapper().valueToTree(new ArrayList<>(last.values())));
        } else {
            List<List<String>> rows = new ArrayList<>();
            last.values().forEach(t -> rows.add(Printer.taskRow(t)));
            Printer.table(out, Printer.TASK_HEADER, rows);
        }
        return last.values().stream().allMatch(t -> "SUCCEEDED".equals(t.path("state").asText()))
                ? ExitCodes.OK
                : ExitCodes.FAILED;
    }

    private void endLine(String shown) {
        if (terminal && !shown.isEmpty()) {
            err.println();
            err.flush();
        }
    }

    private static String describe(List<String> ids) {
        return ids.size() == 1
                ? "task " + ids.get(0)
                : ids.size() + " tasks (first " + ids.get(0) + ")";
    }

    private static String single(JsonNode t) {
        String state = t.path("state").asText();
        int percent = TERMINAL.contains(state) ? 100 : t.path("progress").path("percent").asInt(0);
        String message = t.path("progress").path("message").asText("");
        String where = t.hasNonNull("worker") ? " on " + t.get("worker").asText() : "";
        return bar(percent)
                + " "
                + state
                + where
                + (message.isEmpty() ? "" : " - " + Printer.clip(message, 40));
    }

    private static String many(Map<String, JsonNode> last, int total) {
        long ended =
                last.values().stream()
                        .filter(t -> TERMINAL.contains(t.path("state").asText()))
                        .count();
        long ok =
                last.values().stream()
                        .filter(t -> "SUCCEEDED".equals(t.path("state").asText()))
                        .count();
        return bar((int) (100 * ended / total))
                + " "
                + ended
                + "/"
                + total
                + " done ("
                + ok
                + " succeeded, "
                + (ended - ok)
                + " not)";
    }

    private static String bar(int percent) {
        int filled = percent * BAR / 100;
        return "["
                + "#".repeat(filled)
                + "-".repeat(BAR - filled)
                + "] "
                + String.format("%3d%%", percent);
    }
}
