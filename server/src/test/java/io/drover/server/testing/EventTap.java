package io.drover.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.api.ServerSentEvent;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A test's subscription to {@code GET /v1/events}: collects every event on a thread of its own.
 * {@link #ready()} completes with the first event, so a test can act knowing the stream is live.
 */
public final class EventTap implements AutoCloseable {
    private final List<ServerSentEvent> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<ServerSentEvent> ready = new CompletableFuture<>();
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile Stream<String> lines;

    private EventTap(String url, String lastEventId) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        ServerSentEvent.Parser parser =
                new ServerSentEvent.Parser(
                        e -> {
                            events.add(e);
                            ready.complete(e);
                        });
        Thread t =
                new Thread(
                        () -> {
                            try {
                                HttpResponse<Stream<String>> r =
                                        http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
                                lines = r.body();
                                if (r.statusCode() != 200) {
                                    ready.completeExceptionally(
                                            new IllegalStateException("status " + r.statusCode()));
                                }
                                r.body().forEach(parser::line);
                                ended.complete(r.statusCode());
                            } catch (UncheckedIOException | java.io.IOException e) {
                                ended.complete(-1);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "event-tap");
        t.setDaemon(true);
        t.start();
    }

    /** Subscribes to {@code base + path} (e.g. {@code /v1/events?kinds=task}). */
    public static EventTap open(String base, String path, String lastEventId) {
        return new EventTap(base + path, lastEventId);
    }

    public ServerSentEvent ready() throws Exception {
        return ready.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Completes when the server ends the stream. */
    public CompletableFuture<Integer> ended() {
        return ended;
    }

    public List<ServerSentEvent> events() {
        return List.copyOf(events);
    }

    /** The JSON of every task event for {@code taskId}, in order. */
    public List<JsonNode> taskEvents(String taskId) {
        return events.stream()
                .filter(e -> "task".equals(e.name()))
                .map(EventTap::json)
                .map(j -> j.get("task"))
                .filter(t -> taskId.equals(t.get("id").asText()))
                .toList();
    }

    /** The id of the newest event that had one. */
    public String lastId() {
        String id = null;
        for (ServerSentEvent e : events) {
            if (e.id() != null) {
                id = e.id();
            }
        }
        return id;
    }

    public static JsonNode json(ServerSentEvent e) {
        try {
            return DroverJson.mapper().readTree(e.data());
        } catch (java.io.IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    public static Duration patience() {
        return Duration.ofSeconds(30);
    }

    @Override
    public void close() {
        Stream<String> s = lines;
        if (s != null) {
            s.close();
        }
    }
}
