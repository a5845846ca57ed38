package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.api.ServerSentEvent;
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
 * place; otherwise one line per change), from the coordinator's event stream: no polling.
 */
final class Follower {
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final int BAR = 30;
    private static final int LOOKUP_BATCH = 1_000;

    /**
     * How long the API may stay unreachable (a coordinator restarting, a ZooKeeper hiccup) before
     * the wait is given up.
     */
    static final long GIVE_UP_MS = 120_000;

    /**
     * While any task is open, its status is read again at least this often: a safety net, so that
     * an end the stream never delivered costs this long and not a wait forever. Seen once in CI:
     * the server's event feed could end a task's events on a state it had left (fixed in {@code
     * EventFeed.readTask}); the net stays for whatever else might silence a stream. The stream's
     * keepalives (every 15 s) wake the loop to check.
     */
    static final long SAFETY_REFRESH_MS = 30_000;

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

    /**
     * Blocks until every task has ended; the exit code is 0 only if all succeeded. Follows the
     * coordinator's event stream ({@code GET /v1/events}), filtered to these tasks ({@code
     * idPrefix} when the CLI named them all with one, else their ids), and catches up with one
     * batch read ({@code POST /v1/tasks/batch/status}) when the stream starts and after a gap. A
     * stream that breaks (the coordinator stops) is resumed with the last event id.
     */
    int follow(List<String> ids, String idPrefix) {
        Map<String, JsonNode> last = await(ids, idPrefix);
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
        return allSucceeded(last.values()) ? ExitCodes.OK : ExitCodes.FAILED;
    }

    static boolean allSucceeded(java.util.Collection<JsonNode> tasks) {
        return tasks.stream().allMatch(t -> "SUCCEEDED".equals(t.path("state").asText()));
    }

    /**
     * As {@link #follow}, drawing the progress but printing nothing at the end: the tasks as they
     * ended, by id.
     */
    Map<String, JsonNode> await(List<String> ids, String idPrefix) {
        Map<String, JsonNode> last = new LinkedHashMap<>();
        Set<String> open = new java.util.LinkedHashSet<>(ids);
        String path = eventsPath(ids, idPrefix);
        String resumeAt = null;
        String[] shown = {""};
        long failingSinceMs = 0;
        long pauseMs = 100;
        long refreshedAtMs = System.currentTimeMillis();
        while (!open.isEmpty()) {
            try (java.util.stream.Stream<String> lines = api.stream(path, resumeAt)) {
                List<ServerSentEvent> events = new ArrayList<>();
                ServerSentEvent.Parser parser = new ServerSentEvent.Parser(events::add);
                java.util.Iterator<String> it = lines.iterator();
                boolean cutOff = false;
                while (!open.isEmpty() && !cutOff && it.hasNext()) {
                    parser.line(it.next());
                    for (ServerSentEvent e : events) {
                        resumeAt = e.id() != null ? e.id() : resumeAt;
                        switch (e.name()) {
                            case "ready", "gap" -> {
                                refresh(open, last);
                                refreshedAtMs = System.currentTimeMillis();
                            }
                            case "task" -> update(open, last, json(e.data()).get("task"));
                            case "cutoff" -> cutOff = true;
                            default -> {}
                        }
                        failingSinceMs = 0;
                        pauseMs = 100;
                        show(line(ids, last), shown);
                    }
                    events.clear();
                    if (!open.isEmpty()
                            && System.currentTimeMillis() - refreshedAtMs > SAFETY_REFRESH_MS) {
                        refresh(open, last);
                        refreshedAtMs = System.currentTimeMillis();
                        show(line(ids, last), shown);
                    }
                }
            } catch (ApiException e) {
                long now = System.currentTimeMillis();
                failingSinceMs = failingSinceMs == 0 ? now : failingSinceMs;
                if (!e.isRetryable() || now - failingSinceMs > GIVE_UP_MS) {
                    endLine(shown[0]);
                    throw new ApiException(
                            e.getMessage()
                                    + "; stopped waiting for "
                                    + describe(ids)
                                    + ", which were submitted: do not resubmit blindly",
                            e.isRetryable() ? ExitCodes.FAILED : e.exitCode(),
                            false,
                            e);
                }
                show("waiting for the API (" + Printer.clip(e.getMessage(), 60) + ")", shown);
            } catch (java.io.UncheckedIOException e) {
                // the stream broke (the coordinator went away): resumed below from resumeAt
            }
            if (!open.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
                pauseMs = Math.min(1_000, pauseMs * 2);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new ApiException("interrupted while waiting", ExitCodes.FAILED, false, null);
            }
        }
        // the stream's task events carry no results: read them once, at the end
        refresh(new java.util.LinkedHashSet<>(ids), last);
        if (terminal) {
            err.println();
        }
        return last;
    }

    private static String eventsPath(List<String> ids, String idPrefix) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("kinds", "task");
        if (idPrefix != null) {
            q.put("idPrefix", idPrefix);
        } else if (ids.size() <= 100) {
            q.put("ids", String.join(",", ids));
        }
        return ApiClient.query("/v1/events", q);
    }

    /** Reads the statuses of the open tasks in batches; ended ones are no longer open. */
    private void refresh(Set<String> open, Map<String, JsonNode> last) {
        List<String> all = new ArrayList<>(open);
        for (int i = 0; i < all.size(); i += LOOKUP_BATCH) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + LOOKUP_BATCH));
            JsonNode r = api.post("/v1/tasks/batch/status", Map.of("ids", chunk));
            r.path("tasks").forEach(t -> update(open, last, t));
        }
    }

    private static void update(Set<String> open, Map<String, JsonNode> last, JsonNode task) {
        String id = task.path("id").asText();
        if (!last.containsKey(id) && !open.contains(id)) {
            return; // another task of the cluster (the stream was not filtered by id)
        }
        last.put(id, task);
        if (TERMINAL.contains(task.path("state").asText())) {
            open.remove(id);
        }
    }

    private String line(List<String> ids, Map<String, JsonNode> last) {
        JsonNode first = last.get(ids.get(0));
        return ids.size() == 1
                ? (first == null ? "waiting" : single(first))
                : many(last, ids.size());
    }

    private void show(String line, String[] shown) {
        if (!line.equals(shown[0])) {
            err.print(terminal ? "\r" + line + "\033[K" : line + "\n");
            err.flush();
            shown[0] = line;
        }
    }

    private static JsonNode json(String data) {
        try {
            return DroverJson.mapper().readTree(data);
        } catch (java.io.IOException e) {
            throw new ApiException(
                    "the event stream sent something that is not JSON: " + Printer.clip(data, 60),
                    ExitCodes.FAILED,
                    false,
                    e);
        }
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
