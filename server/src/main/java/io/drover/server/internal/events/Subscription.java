package io.drover.server.internal.events;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's stream: a cursor into the shared {@link EventLog}, on a thread of its own. First a
 * {@code ready} event (whose id is the position the stream starts from), then a {@code gap} if the
 * resume point is no longer covered, then every matching event in order, with a comment line as a
 * heartbeat when nothing happens. Ends when the client goes, the coordinator stops, or the client
 * lags too far behind (a final {@code cutoff} event says so).
 */
final class Subscription implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);
    private static final int READ_BATCH = 512;
    private static final long WRITE_TIMEOUT_S = 60;

    private final EventLog log;
    private final SseEventSink sink;
    private final Sse sse;
    private final EventFilter filter;
    private final Long resumeZxid;
    private final String coordinatorId;
    private final EventStreams.Limits limits;
    private final Consumer<Subscription> onEnd;
    private volatile boolean stopped;
    private volatile long seq = -1; // where it reads next; -1 before it starts

    Subscription(
            EventLog log,
            SseEventSink sink,
            Sse sse,
            EventFilter filter,
            Long resumeZxid,
            String coordinatorId,
            EventStreams.Limits limits,
            Consumer<Subscription> onEnd) {
        this.log = log;
        this.sink = sink;
        this.sse = sse;
        this.filter = filter;
        this.resumeZxid = resumeZxid;
        this.coordinatorId = coordinatorId;
        this.limits = limits;
        this.onEnd = onEnd;
    }

    /** Events between this subscriber and the newest, 0 before it starts. */
    long lag() {
        long s = seq;
        return s < 0 ? 0 : log.lag(s);
    }

    void stop() {
        stopped = true;
        closeSink();
    }

    /** Ends the response; after Jersey has shut the request down that throws, and is moot. */
    private void closeSink() {
        try {
            sink.close();
        } catch (RuntimeException alreadyGone) {
            LOG.debug("event stream already closed: {}", alreadyGone.toString());
        }
    }

    @Override
    public void run() {
        try {
            stream();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("event stream ended: {}", e.toString());
        } finally {
            closeSink();
            onEnd.accept(this);
        }
    }

    private void stream() throws InterruptedException, ExecutionException, TimeoutException {
        EventLog.Start start = log.start(resumeZxid);
        long position = resumeZxid != null && !start.gap() ? resumeZxid : log.lastZxid();
        send(
                "ready",
                FeedEvent.idOf(position),
                "{\"kind\":\"ready\",\"coordinator\":\"" + coordinatorId + "\"}");
        if (start.gap()) {
            send(
                    FeedEvent.GAP,
                    FeedEvent.idOf(log.lastZxid()),
                    "{\"kind\":\"gap\",\"reason\":\"this coordinator no longer holds the events after "
                            + FeedEvent.idOf(resumeZxid)
                            + "; reload what you show\"}");
        }
        seq = start.seq();
        long heartbeatMs = limits.heartbeat().toMillis();
        while (!stopped && !sink.isClosed()) {
            if (!log.awaitBeyond(seq, heartbeatMs)) {
                return; // the coordinator is stopping
            }
            EventLog.Batch batch = log.read(seq, READ_BATCH);
            if (batch.behind() || log.lag(seq) > limits.maxLagEvents()) {
                send(
                        "cutoff",
                        null,
                        "{\"kind\":\"cutoff\",\"reason\":\"the client read too slowly and fell more than "
                                + limits.maxLagEvents()
                                + " events behind; reconnect with Last-Event-ID to resume\"}");
                return;
            }
            if (batch.events().isEmpty()) {
                write(sse.newEventBuilder().comment("keepalive").build());
                continue;
            }
            for (FeedEvent e : batch.events()) {
                if (filter.matches(e)) {
                    send(e.kind(), e.id(), e.json());
                }
            }
            seq = batch.nextSeq();
        }
    }

    private void send(String name, String id, String json)
            throws InterruptedException, ExecutionException, TimeoutException {
        OutboundSseEvent.Builder b = sse.newEventBuilder().name(name).data(json);
        if (id != null) {
            b.id(id);
        }
        write(b.build());
    }

    private void write(OutboundSseEvent e)
            throws InterruptedException, ExecutionException, TimeoutException {
        sink.send(e).toCompletableFuture().get(WRITE_TIMEOUT_S, TimeUnit.SECONDS);
    }
}
