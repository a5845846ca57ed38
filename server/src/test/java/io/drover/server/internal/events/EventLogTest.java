package io.drover.server.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventLogTest {
    private final AtomicLong now = new AtomicLong(1_000);

    private FeedEvent event(long zxid) {
        return new FeedEvent(zxid, "task", "t" + zxid, "noop", null, "{}", now.get());
    }

    @Test
    void resumeWithinCoverage_startsAtTheFirstEventOfThatZxid_soAPartlySeenMultiIsReplayed() {
        EventLog log = new EventLog(100, 60_000, now::get);
        log.append(event(10));
        log.append(event(12));
        log.append(event(12));
        log.append(event(15));

        EventLog.Start s = log.start(12L);
        assertThat(s.gap()).isFalse();
        assertThat(log.read(s.seq(), 10).events())
                .extracting(FeedEvent::zxid)
                .containsExactly(12L, 12L, 15L);
        assertThat(log.start(13L).seq()).isEqualTo(3);
    }

    @Test
    void resumeFromBeforeTheFirstEventSeen_isAGap_becauseTheWatchMayNotHaveSeenWhatCameBetween() {
        EventLog log = new EventLog(100, 60_000, now::get);
        assertThat(log.start(5L).gap()).as("nothing seen yet").isTrue();
        log.append(event(10));
        assertThat(log.start(10L).gap()).isFalse();
        assertThat(log.start(9L).gap())
                .as("a client may have seen part of zxid 9; we saw none")
                .isTrue();
        assertThat(log.start(null)).isEqualTo(new EventLog.Start(1, false));
    }

    @Test
    void evictionByCount_raisesCoverage_andLeavesSlowReadersBehind() {
        EventLog log = new EventLog(3, 60_000, now::get);
        for (long z = 1; z <= 5; z++) {
            log.append(event(z));
        }
        assertThat(log.size()).isEqualTo(3);
        assertThat(log.coverageFrom()).isEqualTo(2);
        assertThat(log.start(2L).gap()).isTrue();
        assertThat(log.start(3L).gap()).isFalse();
        assertThat(log.read(0, 10).behind()).isTrue();
        assertThat(log.lag(2)).isEqualTo(3);
    }

    @Test
    void evictionByAge_dropsEventsOlderThanTheWindow() {
        EventLog log = new EventLog(100, 1_000, now::get);
        log.append(event(1));
        now.addAndGet(2_000);
        log.append(event(2));
        assertThat(log.size()).isEqualTo(1);
        assertThat(log.start(1L).gap()).isTrue();
        assertThat(log.start(2L).gap()).isFalse();
    }

    @Test
    void gap_isAnEventForCurrentReaders_andResumesFromBeforeItAreGaps() {
        EventLog log = new EventLog(100, 60_000, now::get);
        log.append(event(10));
        long reader = log.start(null).seq();
        log.markGap("{\"kind\":\"gap\"}");
        assertThat(log.read(reader, 10).events())
                .extracting(FeedEvent::kind)
                .containsExactly("gap");
        assertThat(log.start(10L).gap()).isTrue();

        log.append(event(20)); // the first notification after the reconnection
        assertThat(log.start(10L).gap()).as("what came between 10 and 20 was missed").isTrue();
        assertThat(log.start(20L).gap()).isFalse();
    }

    @Test
    void awaitBeyond_returnsFalseOnceClosed() throws Exception {
        EventLog log = new EventLog(10, 60_000, now::get);
        log.close();
        assertThat(log.awaitBeyond(0, 10_000)).isFalse();
    }
}
