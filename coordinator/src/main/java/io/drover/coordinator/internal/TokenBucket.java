package io.drover.coordinator.internal;

import io.drover.model.RateLimit;

/**
 * One type's rate limit as a token bucket: {@code perSecond} tokens flow in continuously up to
 * {@code burst}, and each task the leader starts takes one, so over any window of {@code t} seconds
 * at most {@code burst + perSecond × t} start. Pure: the caller passes the time (the leader's
 * clock), so every transition is checked by plain unit tests. A clock that goes back adds nothing.
 * Not thread-safe: the leader's thread only.
 */
final class TokenBucket {
    /** Absorbs floating-point error, so a token due at a time is whole at that time. */
    private static final double EPSILON = 1e-9;

    private RateLimit limit;
    private double tokens;
    private long refilledAtMs;

    /**
     * A bucket that starts <em>empty</em> at {@code nowMs}: a leader that takes over cannot know
     * what its predecessor started just before, so it starts nothing until the rate has earned it,
     * and a failover never lets more than the burst through.
     */
    TokenBucket(RateLimit limit, long nowMs) {
        this.limit = limit;
        this.refilledAtMs = nowMs;
    }

    RateLimit limit() {
        return limit;
    }

    /** A changed limit: the tokens earned so far stay, up to the new burst. */
    void change(RateLimit newLimit, long nowMs) {
        refill(nowMs);
        limit = newLimit;
        tokens = Math.min(tokens, newLimit.burst());
    }

    /** Whole tokens at {@code nowMs}: how many tasks may start now. */
    int available(long nowMs) {
        refill(nowMs);
        return (int) Math.floor(tokens + EPSILON);
    }

    /** A task started: one token less (never below empty). */
    void take() {
        tokens = Math.max(0, tokens - 1);
    }

    /** A start that did not happen after all (its assignment was rejected): the token back. */
    void giveBack() {
        tokens = Math.min(limit.burst(), tokens + 1);
    }

    /**
     * When the next whole token is due, at or after {@code nowMs}; {@code nowMs} if one is here.
     */
    long nextTokenAtMs(long nowMs) {
        refill(nowMs);
        if (tokens + EPSILON >= 1) {
            return refilledAtMs;
        }
        return refilledAtMs + (long) Math.ceil((1 - tokens) * 1_000 / limit.perSecond());
    }

    private void refill(long nowMs) {
        if (nowMs > refilledAtMs) {
            tokens =
                    Math.min(
                            limit.burst(),
                            tokens + (nowMs - refilledAtMs) * limit.perSecond() / 1_000);
            refilledAtMs = nowMs;
        }
    }
}
