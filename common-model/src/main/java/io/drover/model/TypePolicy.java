package io.drover.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Cluster-wide rules for one task type, stored at {@code types/<type>} and enforced by the leader.
 *
 * @param maxConcurrent tasks of this type ASSIGNED or RUNNING at once across the cluster; 0 = no
 *     limit
 * @param breaker the type's circuit breaker, or null for none
 */
public record TypePolicy(
        @JsonProperty("v") int formatVersion, int maxConcurrent, CircuitBreakerPolicy breaker) {
    public static final int FORMAT_VERSION = 1;

    public TypePolicy {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
    }

    public static TypePolicy of(int maxConcurrent, CircuitBreakerPolicy breaker) {
        return new TypePolicy(FORMAT_VERSION, maxConcurrent, breaker).validate();
    }

    public TypePolicy validate() {
        if (maxConcurrent < 0 || maxConcurrent > 1_000_000) {
            throw new InvalidTaskException(
                    "maxConcurrent",
                    "must be between 0 (no limit) and 1000000, was " + maxConcurrent);
        }
        if (breaker != null) {
            breaker.validate();
        }
        return this;
    }
}
