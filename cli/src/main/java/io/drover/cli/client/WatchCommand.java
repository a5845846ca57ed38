package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.api.ServerSentEvent;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Prints the cluster's changes as they happen (like kubectl get -w): tasks changing"
                    + " state, workers joining, draining and leaving, leadership, item placement,"
                    + " circuit breakers. One line per event; -o json prints each event's JSON.",
            "Runs until interrupted; a broken stream is resumed where it stopped."
        },
        footer = {
            "",
            "Examples:",
            "  drover watch",
            "  drover watch --kinds task --type resize --label zone=eu",
            "  drover watch --id 3f2a... -o json",
            "",
            "Exit codes: 0 done (--limit reached), 2 bad input, 3 API unreachable, 5 not allowed."
        })
public final class WatchCommand implements Callable<Integer> {
    static final List<String> HEADER = List.of("TIME", "KIND", "NAME", "STATE", "DETAIL");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Spec CommandSpec spec;

    @Mixin ClientOptions options;

    @Option(
            names = "--kinds",
            split = ",",
            description = "task, worker, leader, item, breaker (default all).")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--type", description = "Only tasks (and breakers) of this type; repeatable.")
    List<String> types = new ArrayList<>();

    @Option(names = "--id", description = "Only this task; repeatable (up to 100).")
    List<String> ids = new ArrayList<>();

    @Option(
            names = "--label",
            description = "Only tasks and workers with this label, k=v; repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--since", description = "Resume after this event id (from an earlier watch).")
    String since;

    @Option(names = "--limit", description = "Stop after this many events (default: never).")
    long limit;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new ApiException(
                    "--limit must be 0 (never stop) or a positive number of events, was " + limit,
                    ExitCodes.USAGE,
                    false,
                    null);
        }
        PrintWriter out = spec.commandLine().getOut();
        ApiClient api = options.client();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("kinds", kinds.isEmpty() ? null : String.join(",", kinds));
        q.put("types", types.isEmpty() ? null : String.join(",", types));
        q.put("ids", ids.isEmpty() ? null : String.join(",", ids));
        List<String> pairs = new ArrayList<>();
        labels.forEach((k, v) -> pairs.add(k + "=" + v));
        q.put("labels", pairs.isEmpty() ? null : String.join(",", pairs));
        String path = ApiClient.query("/v1/events", q);
        String resumeAt = since;
        long printed = 0;
        boolean header = !options.json();
        long pauseMs = 100;
        while (limit == 0 || printed < limit) {
            try (Stream<String> lines = api.stream(path, resumeAt)) {
                List<ServerSentEvent> events = new ArrayList<>();
                ServerSentEvent.Parser parser = new ServerSentEvent.Parser(events::add);
                Iterator<String> it = lines.iterator();
                while ((limit == 0 || printed < limit) && it.hasNext()) {
                    parser.line(it.next());
                    for (ServerSentEvent e : events) {
                        resumeAt = e.id() != null && !e.name().equals("ready") ? e.id() : resumeAt;
                        if (e.name().equals("ready") || (limit > 0 && printed >= limit)) {
                            continue;
                        }
                        if (header) {
                            out.println(columns(HEADER));
                            header = false;
                        }
                        print(out, e);
                        printed++;
                        pauseMs = 100;
                    }
                    events.clear();
                }
            } catch (UncheckedIOException broken) {
                // the coordinator went away mid-stream: resume from the last event
            } catch (ApiException e) {
                if (!e.isRetryable()) {
                    throw e;
                }
                spec.commandLine().getErr().println("drover: " + e.getMessage() + "; retrying");
            }
            if (limit == 0 || printed < limit) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
                pauseMs = Math.min(2_000, pauseMs * 2);
                if (Thread.currentThread().isInterrupted()) {
                    return ExitCodes.FAILED;
                }
            }
        }
        return ExitCodes.OK;
    }

    private void print(PrintWriter out, ServerSentEvent e) {
        if (options.json()) {
            out.println(e.data());
            out.flush();
            return;
        }
        JsonNode j;
        try {
            j = DroverJson.mapper().readTree(e.data());
        } catch (java.io.IOException x) {
            return; // not ours: a stream can carry nothing else
        }
        out.println(columns(row(e.name(), j)));
        out.flush();
    }

    /** Fixed widths, so that lines printed one at a time still line up under the header. */
    static String columns(List<String> c) {
        return String.format("%-12s  %-7s  %-36s  %-9s  %s", c.toArray()).stripTrailing();
    }

    /** The columns of one event: time, kind, name, state, detail. */
    static List<String> row(String kind, JsonNode j) {
        String time = TIME.format(Instant.now());
        return switch (kind) {
            case "task" -> {
                JsonNode t = j.path("task");
                String worker = t.hasNonNull("worker") ? "on " + t.get("worker").asText() : "";
                String percent =
                        t.path("progress").has("percent")
                                ? " " + t.path("progress").path("percent").asInt() + "%"
                                : "";
                String error =
                        t.hasNonNull("error")
                                ? " " + Printer.clip(t.get("error").asText(), 50)
                                : "";
                yield List.of(
                        time,
                        "task",
                        t.path("id").asText(),
                        t.path("state").asText(),
                        t.path("type").asText() + " " + worker + percent + error);
            }
            case "worker" ->
                    List.of(
                            time,
                            "worker",
                            j.path("workerId").asText(),
                            j.path("change").asText(),
                            j.path("worker").path("state").asText(""));
            case "leader" ->
                    List.of(
                            time,
                            "leader",
                            j.path("leader").asText(),
                            "LEADS",
                            "epoch " + j.path("epoch").asLong());
            case "item" ->
                    List.of(
                            time,
                            "item",
                            j.path("itemId").asText(),
                            j.path("change").asText(),
                            "on " + j.path("workerId").asText());
            case "breaker" ->
                    List.of(
                            time,
                            "breaker",
                            j.path("type").asText(),
                            j.path("breaker").path("state").asText(),
                            "");
            default -> List.of(time, kind, "", "", j.path("reason").asText(""));
        };
    }
}
