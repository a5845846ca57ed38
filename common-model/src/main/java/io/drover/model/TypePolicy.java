package io.drover.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Cluster-wide rules for one task type, stored at {@code types/<type>} and enforced by the leader.
 *
 * @param maxConcurrent tasks of this type ASSIGNED or RUNNING at once across the cluster; 0 = no
 *     limit
 * @param breaker the type's circuit breaker, or null for none
 * @param maxLiveTasks tasks of this type not yet ended (pending, assigned, running) the cluster
 *     takes; a submission beyond it is refused with {@link QuotaExceededException}; 0 = only the
 *     cluster's cap. A soft cap, on the leader's count of at most a second ago
 */
public record TypePolicy(
        @JsonProperty("v") int formatVersion,
        int maxConcurrent,
        CircuitBreakerPolicy breaker,
        @com.fasterxml.jackson.annotation.JsonInclude(
                        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
                long maxLiveTasks) {
    /** Largest {@code maxLiveTasks}: far beyond what one ZooKeeper holds. */
    public static final long MAX_LIVE_TASKS = 100_000_000L;

    public static final int FORMAT_VERSION = 1;

    public TypePolicy {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
    }

    public static TypePolicy of(int maxConcurrent, CircuitBreakerPolicy breaker) {
        return new TypePolicy(FORMAT_VERSION, maxConcurrent, breaker, 0).validate();
    }

    /** The same policy with a cap on this type's live tasks (0: none). */
    public TypePolicy withMaxLiveTasks(long max) {
        return new TypePolicy(formatVersion, maxConcurrent, breaker, max).validate();
    }

    public TypePolicy validate() {
        if (maxConcurrent < 0 || maxConcurrent > 1_000_000) {
            throw new InvalidTaskException(
                    "maxConcurrent",
                    "must be between 0 (no limit) and 1000000, was " + maxConcurrent);
        }
        if (maxLiveTasks < 0 || maxLiveTasks > MAX_LIVE_TASKS) {
            throw new InvalidTaskException(
                    "maxLiveTasks",
                    "must be between 0 (only the cluster's cap) and "
                            + MAX_LIVE_TASKS
                            + ", was "
                            + maxLiveTasks);
        }
        if (breaker != null) {
            breaker.validate();
        }
        return this;
    }
}
