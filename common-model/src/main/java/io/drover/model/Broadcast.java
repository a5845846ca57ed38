package io.drover.model;

/**
 * What makes a task a broadcast (publish/async responses): the leader fans it out once to every
 * live worker that handles its type and carries its labels, as one response task per worker, and
 * ends it with one result per worker once they have all ended or {@code gatherMs} has passed.
 *
 * @param success when the broadcast counts as SUCCEEDED; null means {@link Success#ALL}
 * @param gatherMs how long after the fan-out the responses are gathered; responses still running
 *     then count as failed
 */
public record Broadcast(Success success, long gatherMs) {
    /** The longest a broadcast gathers: a day. */
    public static final long MAX_GATHER_MS = 24L * 3_600_000;

    /** Gathering time when none is given. */
    public static final long DEFAULT_GATHER_MS = 60_000;

    /** How many responses must succeed. */
    public enum Success {
        /** Every worker's response. */
        ALL,
        /** More than half of the workers' responses. */
        QUORUM,
        /** At least one response. */
        ANY;

        /**
         * Responses that must succeed out of {@code workers}; a broadcast that reached no worker
         * never succeeds.
         */
        public int needed(int workers) {
            if (workers <= 0) {
                return 1;
            }
            return switch (this) {
                case ALL -> workers;
                case QUORUM -> workers / 2 + 1;
                case ANY -> 1;
            };
        }
    }

    public Broadcast {
        if (success == null) {
            success = Success.ALL;
        }
        if (gatherMs == 0) {
            gatherMs = DEFAULT_GATHER_MS;
        }
    }

    public Broadcast validate() {
        if (gatherMs < 0 || gatherMs > MAX_GATHER_MS) {
            throw new InvalidTaskException(
                    "broadcast.gatherMs",
                    "must be between 1 and " + MAX_GATHER_MS + ", was " + gatherMs);
        }
        return this;
    }
}
