package io.drover.server.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReleaseQueueTest {
    private final ReleaseQueue<String> queue = new ReleaseQueue<>();
    private final List<FeedEvent> out = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();

    private static FeedEvent event(long zxid, String data) {
        return new FeedEvent(zxid, "task", data, null, null, data, 0);
    }

    private CompletableFuture<String> add(long zxid, String key, CompletableFuture<String> read) {
        return queue.add(
                zxid,
                key,
                () -> {
                    reads.incrementAndGet();
                    return read;
                },
                (z, r) -> r == null ? null : event(z, key + "=" + r));
    }

    @Test
    void readsThatAnswerOutOfOrder_areReleasedInNotificationOrder() {
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        add(1, "a", a);
        add(2, "b", b);

        b.complete("B");
        queue.drain(out::add);
        assertThat(out).as("b waits for a").isEmpty();

        a.complete("A");
        queue.drain(out::add);
        assertThat(out).extracting(FeedEvent::json).containsExactly("a=A", "b=B");
    }

    @Test
    void secondNotificationWhileTheReadIsOut_sharesIt_andOnlyTheLatestPositionIsReleased() {
        CompletableFuture<String> first = new CompletableFuture<>();
        add(1, "a", first);
        add(2, "b", CompletableFuture.completedFuture("B"));
        add(3, "a", new CompletableFuture<>()); // would be a second read: must not be made

        assertThat(reads).hasValue(2);
        first.complete("A3");
        queue.drain(out::add);
        assertThat(out).extracting(FeedEvent::zxid).containsExactly(2L, 3L);
        assertThat(out.get(1).json()).isEqualTo("a=A3");
        assertThat(queue.size()).isZero();
    }

    @Test
    void notificationAfterTheReadAnswered_readsAgain() {
        CompletableFuture<String> blocker = new CompletableFuture<>();
        add(1, "x", blocker);
        add(2, "a", CompletableFuture.completedFuture("old"));
        add(3, "a", CompletableFuture.completedFuture("new"));

        assertThat(reads).hasValue(3);
        blocker.complete("X");
        queue.drain(out::add);
        assertThat(out).extracting(FeedEvent::json).containsExactly("x=X", "a=new");
    }

    @Test
    void aReadWithNothingToTell_releasesNothing_andDoesNotHoldUpTheRest() {
        add(1, "gone", CompletableFuture.completedFuture(null));
        add(2, "b", CompletableFuture.completedFuture("B"));
        queue.drain(out::add);
        assertThat(out).extracting(FeedEvent::json).containsExactly("b=B");
    }
}
