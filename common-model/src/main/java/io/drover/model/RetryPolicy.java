package io.drover.model;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between attempts: attempt n (1-based) that failed waits {@code
 * min(maxBackoffMs, initialBackoffMs * multiplier^(n-1))}, scaled by a random factor in [0.5, 1]
 * when {@code jitter} is on (so that a burst of failures does not retry in lock-step).
 *
 * @param initialBackoffMs wait after the first failed attempt (default 1 s)
 * @param maxBackoffMs cap on any wait (default 60 s)
 * @param multiplier growth per attempt (default 2)
 * @param jitter randomize each wait between half and all of it (default on)
 */
public record RetryPolicy(
        long initialBackoffMs, long maxBackoffMs, double multiplier, boolean jitter) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(1_000, 60_000, 2.0, true);

    public RetryPolicy validate() {
        if (initialBackoffMs < 0 || initialBackoffMs > 86_400_000L) {
            throw new InvalidTaskException(
                    "retry.initialBackoffMs",
                    "must be between 0 and 86400000, was " + initialBackoffMs);
        }
        if (maxBackoffMs < initialBackoffMs || maxBackoffMs > 86_400_000L) {
            throw new InvalidTaskException(
                    "retry.maxBackoffMs",
                    "must be between initialBackoffMs and 86400000, was " + maxBackoffMs);
        }
        if (!(multiplier >= 1.0 && multiplier <= 100.0)) {
            throw new InvalidTaskException(
                    "retry.multiplier", "must be between 1 and 100, was " + multiplier);
        }
        return this;
    }

    /** The wait before attempt {@code failedAttempt + 1}. */
    public long backoffMs(int failedAttempt) {
        double raw = initialBackoffMs * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        long capped = (long) Math.min(maxBackoffMs, raw);
        return jitter
                ? (long) (capped * (0.5 + 0.5 * ThreadLocalRandom.current().nextDouble()))
                : capped;
    }
}
