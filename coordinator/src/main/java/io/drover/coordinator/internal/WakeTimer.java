package io.drover.coordinator.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One pending wake-up of the leader's dispatch pass, for a future time (a retry's backoff, a
 * delayed start, a breaker's end): the earliest time asked for wins, and nothing polls.
 *
 * <p>Whether a time still needs a wake-up is judged against the time the caller decided with, not a
 * fresh reading of the clock: a pass that found a task not yet due at {@code now} must wake up for
 * it even if the clock passed its time while the pass ran (reading the clock again lost that
 * wake-up, and the task waited forever). Not thread-safe: the leader's thread only.
 */
final class WakeTimer {
    private final ScheduledExecutorService executor;
    private final LongSupplier clock;
    private final Runnable onWake;
    private ScheduledFuture<?> wake;
    private long wakeAtMs = Long.MAX_VALUE;

    WakeTimer(ScheduledExecutorService executor, LongSupplier clock, Runnable onWake) {
        this.executor = executor;
        this.clock = clock;
        this.onWake = onWake;
    }

    /**
     * Arranges a wake-up at {@code atMs} unless one is due no later. A time at or before {@code
     * decidedAtMs} needs none: the caller's pass at that time already saw it.
     */
    void wakeAt(long atMs, long decidedAtMs) {
        if (atMs <= decidedAtMs || atMs >= wakeAtMs) {
            return;
        }
        if (wake != null) {
            wake.cancel(false);
        }
        wakeAtMs = atMs;
        wake =
                executor.schedule(
                        () -> {
                            wakeAtMs = Long.MAX_VALUE;
                            wake = null;
                            onWake.run();
                        },
                        Math.max(0, atMs - clock.getAsLong()),
                        TimeUnit.MILLISECONDS);
    }

    /** The time of the pending wake-up, or {@link Long#MAX_VALUE}. */
    long wakeAtMs() {
        return wakeAtMs;
    }
}
