package io.drover.server.internal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading: its writes block (as on a full socket), the cluster moves on,
 * and once a write gets through it learns how far behind it is and ends with a cutoff event. The
 * sink stands in for the client's connection so that "stops reading" is exact, not a guess about
 * socket buffer sizes.
 */
class SubscriptionTest {
    /** A connection whose writes complete only when the test lets them. */
    private static final class Connection implements SseEventSink {
        final List<OutboundSseEvent> sent = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public boolean isClosed() {
            return closed.get();
        }

        @Override
        public CompletionStage<?> send(OutboundSseEvent event) {
            sent.add(event);
            return gate;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static final Sse SSE =
            new Sse() {
                @Override
                public OutboundSseEvent.Builder newEventBuilder() {
                    return new OutboundEvent.Builder();
                }

                @Override
                public SseBroadcaster newBroadcaster() {
                    throw new UnsupportedOperationException();
                }
            };

    private static FeedEvent event(long zxid) {
        return new FeedEvent(
                zxid, "task", "t" + zxid, "noop", null, "{}", System.currentTimeMillis());
    }

    @Test
    void clientThatStopsReading_fallsTooFarBehind_andItsLastEventIsACutoff() {
        EventLog log = new EventLog(10_000, 600_000, System::currentTimeMillis);
        Connection client = new Connection();
        AtomicBoolean ended = new AtomicBoolean();
        EventStreams.Limits limits = new EventStreams.Limits(10, 100, Duration.ofSeconds(15));
        Subscription s =
                new Subscription(
                        log,
                        client,
                        SSE,
                        EventFilter.ALL,
                        null,
                        "c1",
                        limits,
                        x -> ended.set(true));
        Thread t = new Thread(s, "test-subscription");
        t.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.sent.size() == 1); // ready

        client.gate = new CompletableFuture<>(); // the client stops reading
        log.append(event(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.sent.size() == 2); // stuck on it
        for (long z = 2; z <= 300; z++) {
            log.append(event(z));
        }
        assertThat(s.lag()).isGreaterThan(100);
        assertThat(ended).isFalse();

        CompletableFuture<Void> stuck = client.gate;
        client.gate = CompletableFuture.completedFuture(null);
        stuck.complete(null); // it reads again

        await().atMost(Duration.ofSeconds(10)).until(ended::get);
        OutboundSseEvent last = client.sent.get(client.sent.size() - 1);
        assertThat(last.getName()).isEqualTo("cutoff");
        assertThat(last.getData().toString()).contains("fell more than 100 events behind");
        assertThat(client.sent).hasSize(3); // ready, the event it was stuck on, the cutoff
        assertThat(client.isClosed()).isTrue();
    }

    @Test
    void clientThatKeepsUp_getsEveryEventInOrder_afterReady() {
        EventLog log = new EventLog(10_000, 600_000, System::currentTimeMillis);
        Connection client = new Connection();
        EventStreams.Limits limits = new EventStreams.Limits(10, 100, Duration.ofSeconds(15));
        Subscription s =
                new Subscription(log, client, SSE, EventFilter.ALL, null, "c1", limits, x -> {});
        Thread t = new Thread(s, "test-subscription");
        t.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.sent.size() == 1);
        for (long z = 1; z <= 50; z++) {
            log.append(event(z));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> client.sent.size() == 51);
        assertThat(client.sent.get(0).getName()).isEqualTo("ready");
        assertThat(client.sent.subList(1, 51)).extracting(OutboundSseEvent::getId).isSorted();
        s.stop();
        assertThat(client.isClosed()).isTrue();
    }
}
