package io.drover.election.internal;

/**
 * How long {@link EpochLeaderElection} waits before it joins the latch again: at once after a
 * healthy term, else after a delay that doubles with each short term in a row. A term that ends for
 * a reason that will repeat (a view it cannot build) must not turn into thousands of epochs a
 * minute, and meanwhile a standby can take over. Separate so that the schedule and the bookkeeping
 * it rests on (when the term began, how many short terms in a row) can be reasoned about alone.
 *
 * <p>Not thread-safe: the election thread only.
 */
final class RejoinBackoff {
    /**
     * A term shorter than this that ended for a reason of its own (not a close) counts towards the
     * rejoin backoff.
     */
    static final long HEALTHY_TERM_MS = 10_000;

    static final long FIRST_REJOIN_DELAY_MS = 250;
    static final long MAX_REJOIN_DELAY_MS = 30_000;

    private long termStartedAtMs;
    private int shortTermsInARow;

    void termStarted() {
        termStartedAtMs = System.currentTimeMillis();
    }

    /** Whether the current (or last) term has lasted less than {@link #HEALTHY_TERM_MS} so far. */
    boolean termIsShort() {
        return System.currentTimeMillis() - termStartedAtMs < HEALTHY_TERM_MS;
    }

    void termEnded() {
        if (!termIsShort()) {
            shortTermsInARow = 0; // a healthy term, however it ended, wipes the slate
        }
    }

    /** Counts a term that ended, short or not, and returns how long to wait before rejoining. */
    long nextDelayMs(boolean shortTerm) {
        shortTermsInARow = shortTerm ? shortTermsInARow + 1 : 0;
        return delayMs(shortTermsInARow);
    }

    int shortTermsInARow() {
        return shortTermsInARow;
    }

    /** 0 for the first short term, then 250 ms doubling to 30 s. */
    static long delayMs(int shortTermsInARow) {
        if (shortTermsInARow <= 1) {
            return 0;
        }
        return Math.min(
                MAX_REJOIN_DELAY_MS, FIRST_REJOIN_DELAY_MS << Math.min(20, shortTermsInARow - 2));
    }
}
