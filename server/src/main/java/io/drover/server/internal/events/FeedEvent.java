package io.drover.server.internal.events;

import java.util.Map;

/**
 * One event of the stream, encoded once and shared by every subscriber.
 *
 * @param zxid the ZooKeeper transaction that caused it (several events may share one: a multi); the
 *     event id every coordinator understands
 * @param kind the SSE event name: task, worker, leader, item, breaker, or gap
 * @param taskId for task events, the task; null otherwise
 * @param type for task and breaker events, the task type; null otherwise
 * @param labels for task events, the labels the task requires (from its spec); for worker events,
 *     the worker's labels; empty when unknown
 * @param json the event's data, a JSON object
 * @param atMs when this coordinator released it (for the buffer's age bound)
 */
public record FeedEvent(
        long zxid,
        String kind,
        String taskId,
        String type,
        Map<String, String> labels,
        String json,
        long atMs) {
    public static final String GAP = "gap";

    public FeedEvent {
        labels = labels == null ? Map.of() : labels;
    }

    /** The SSE id: 16 lower-case hex digits of the zxid, so ids sort as text too. */
    public String id() {
        return idOf(zxid);
    }

    public static String idOf(long zxid) {
        return String.format("%016x", zxid);
    }

    /**
     * Parses an id a client sends back ({@code Last-Event-ID}); null when it is not one of ours.
     */
    public static Long parseId(String id) {
        if (id == null || id.isEmpty() || id.length() > 16) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(id, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
