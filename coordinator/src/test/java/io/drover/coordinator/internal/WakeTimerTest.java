package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lost wake-up behind a task that stopped moving: a retry due at t=1000 was seen by a pass that
 * decided at t=999; by the time the pass asked for a wake-up the clock read 1000, and a check
 * against a fresh clock reading scheduled nothing, so the task waited forever.
 */
class WakeTimerTest {
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void timeReachedWhileThePassRan_stillWakesUp() throws InterruptedException {
        AtomicLong clock =
                new AtomicLong(1_000); // the pass decided at 999; the clock moved on while it ran
        CountDownLatch woke = new CountDownLatch(1);
        WakeTimer timer = new WakeTimer(executor, clock::get, woke::countDown);

        timer.wakeAt(1_000, 999);

        assertThat(woke.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void timeAtOrBeforeTheDecision_needsNoWakeUp() {
        WakeTimer timer = new WakeTimer(executor, () -> 1_000, () -> {});

        timer.wakeAt(999, 999);
        timer.wakeAt(500, 999);

        assertThat(timer.wakeAtMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(executor.getQueue()).isEmpty();
    }

    @Test
    void earlierTimeReplacesALaterOne_laterOneIsIgnored() {
        AtomicLong clock = new AtomicLong(0);
        WakeTimer timer = new WakeTimer(executor, clock::get, () -> {});

        timer.wakeAt(60_000, 0);
        timer.wakeAt(30_000, 0);
        timer.wakeAt(45_000, 0);

        assertThat(timer.wakeAtMs()).isEqualTo(30_000);
    }
}
