package io.drover.server.api;

import java.util.function.Consumer;

/**
 * One event of {@code GET /v1/events} as a client receives it, and the parser that reads them from
 * the stream's lines (the {@code text/event-stream} format: {@code id:}, {@code event:}, {@code
 * data:} fields, a blank line ending each event, lines starting with {@code :} being comments). The
 * JDK's {@code HttpClient} hands a client the lines ({@code BodyHandlers.ofLines()}); this is the
 * rest of the format, kept here so the CLI and tests read the stream one way.
 *
 * @param id the event id (16 hex digits), or null for events without one ({@code cutoff})
 * @param name the event's kind: {@code ready}, {@code task}, {@code worker}, {@code leader}, {@code
 *     item}, {@code breaker}, {@code gap} or {@code cutoff}
 * @param data the event's JSON
 */
public record ServerSentEvent(String id, String name, String data) {
    /** Reads lines in order and hands each complete event on. Not thread-safe. */
    public static final class Parser {
        private final Consumer<ServerSentEvent> out;
        private String id;
        private String name;
        private StringBuilder data;

        public Parser(Consumer<ServerSentEvent> out) {
            this.out = out;
        }

        public void line(String line) {
            if (line.isEmpty()) {
                if (data != null) {
                    out.accept(
                            new ServerSentEvent(
                                    id, name == null ? "message" : name, data.toString()));
                }
                id = null;
                name = null;
                data = null;
                return;
            }
            if (line.startsWith(":")) {
                return;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "data" ->
                        data =
                                data == null
                                        ? new StringBuilder(value)
                                        : data.append('\n').append(value);
                default -> {} // retry and unknown fields: not used by Drover
            }
        }
    }
}
