package io.drover.model;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param rateLimit how fast the leader starts tasks of this type, or null for no limit (absent from
 *     writers before it existed)
 * @param whenOpen what the type's pending tasks do while its breaker is OPEN: WAIT (absent from
 *     writers before it existed), FAIL_FAST or FALLBACK
 * @param fallbackType with FALLBACK, the type whose handler runs the tasks meanwhile; else null
 */
public record TypePolicy(
        @JsonProperty("v") int formatVersion,
        int maxConcurrent,
        CircuitBreakerPolicy breaker,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long maxLiveTasks,
        @JsonInclude(JsonInclude.Include.NON_NULL) RateLimit rateLimit,
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = IsWait.class)
                WhenOpen whenOpen,
        @JsonInclude(JsonInclude.Include.NON_NULL) String fallbackType) {
    /** Largest {@code maxLiveTasks}: far beyond what one ZooKeeper holds. */
    public static final long MAX_LIVE_TASKS = 100_000_000L;

    public static final int FORMAT_VERSION = 1;

    /** What pending tasks of a type do while its circuit breaker is OPEN. */
    public enum WhenOpen {
        /** They wait for the breaker to close (the probe goes when its time is up). */
        WAIT,
        /** The leader fails them at once, and any that come while it stays open. */
        FAIL_FAST,
        /** They run as {@code fallbackType}, on workers that announce that type. */
        FALLBACK
    }

    public TypePolicy {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        whenOpen = whenOpen == null ? WhenOpen.WAIT : whenOpen;
    }

    public static TypePolicy of(int maxConcurrent, CircuitBreakerPolicy breaker) {
        return new TypePolicy(FORMAT_VERSION, maxConcurrent, breaker, 0, null, null, null)
                .validate();
    }

    /** The same policy with a cap on this type's live tasks (0: none). */
    public TypePolicy withMaxLiveTasks(long max) {
        return new TypePolicy(
                        formatVersion,
                        maxConcurrent,
                        breaker,
                        max,
                        rateLimit,
                        whenOpen,
                        fallbackType)
                .validate();
    }

    /** The same policy with a rate limit (null: none). */
    public TypePolicy withRateLimit(RateLimit limit) {
        return new TypePolicy(
                        formatVersion,
                        maxConcurrent,
                        breaker,
                        maxLiveTasks,
                        limit,
                        whenOpen,
                        fallbackType)
                .validate();
    }

    /**
     * The same policy with what happens while the breaker is open; {@code fallback} for FALLBACK.
     */
    public TypePolicy whenOpen(WhenOpen mode, String fallback) {
        return new TypePolicy(
                        formatVersion,
                        maxConcurrent,
                        breaker,
                        maxLiveTasks,
                        rateLimit,
                        mode,
                        fallback)
                .validate();
    }

    /** {@link #validate()}, and that the policy of {@code type} does not fall back to itself. */
    public TypePolicy validateFor(String type) {
        validate();
        if (fallbackType != null && fallbackType.equals(type)) {
            throw new InvalidTaskException(
                    "fallbackType", "must be another type than " + type + " itself");
        }
        return this;
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
        if (rateLimit != null) {
            rateLimit.validate();
        }
        if (whenOpen != WhenOpen.WAIT && breaker == null) {
            throw new InvalidTaskException(
                    "whenOpen", whenOpen + " needs a breaker: without one nothing ever opens");
        }
        if (whenOpen == WhenOpen.FALLBACK && fallbackType == null) {
            throw new InvalidTaskException(
                    "fallbackType", "is required with whenOpen FALLBACK: the type to run as");
        }
        if (fallbackType != null) {
            if (whenOpen != WhenOpen.FALLBACK) {
                throw new InvalidTaskException(
                        "fallbackType", "goes only with whenOpen FALLBACK, was " + whenOpen);
            }
            Names.checkName("fallbackType", fallbackType);
        }
        return this;
    }

    /** Leaves {@code whenOpen} out when it is WAIT, so a policy without it reads back the same. */
    static final class IsWait {
        @Override
        public boolean equals(Object value) {
            return value == null || value == WhenOpen.WAIT;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
