package io.drover.server.internal.events;

import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordinator's SSE subscribers: each streams from the shared {@link EventLog} on a thread of
 * its own (a blocking write to a slow client holds up nobody else), and is cut off with a final
 * {@code cutoff} event once it lags more than {@code maxLagEvents} behind the newest event. Thread-
 * safe.
 */
public final class EventStreams implements AutoCloseable {
    /** The limits of the streams, from the server's {@code events:} config. */
    public record Limits(int maxSubscribers, int maxLagEvents, Duration heartbeat) {}

    private final EventLog log;
    private final String coordinatorId;
    private final Limits limits;
    private final Set<Subscription> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong threads = new AtomicLong();
    private volatile boolean closed;

    public EventStreams(EventLog log, String coordinatorId, Limits limits) {
        this.log = log;
        this.coordinatorId = coordinatorId;
        this.limits = limits;
    }

    /**
     * Starts streaming to a client; false when the coordinator already streams to as many as it may
     * (the caller answers 503).
     */
    public boolean open(SseEventSink sink, Sse sse, EventFilter filter, Long resumeZxid) {
        if (closed || live.size() >= limits.maxSubscribers()) {
            return false;
        }
        Subscription s =
                new Subscription(
                        log, sink, sse, filter, resumeZxid, coordinatorId, limits, live::remove);
        live.add(s);
        Thread t = new Thread(s, "drover-events-sse-" + threads.incrementAndGet());
        t.setDaemon(true);
        t.start();
        return true;
    }

    /** Events kept for resuming clients. */
    public int buffered() {
        return log.size();
    }

    /** Subscribers streaming now. */
    public int subscribers() {
        return live.size();
    }

    /** How far behind the newest event each subscriber is, in events (for tests and metrics). */
    public java.util.List<Long> lags() {
        return live.stream().map(Subscription::lag).toList();
    }

    @Override
    public void close() {
        closed = true;
        live.forEach(Subscription::stop);
    }
}
