package io.drover.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The visible state of a type's circuit breaker at {@code breakers/<type>}, written by the leader
 * so that it survives failover.
 *
 * @param state CLOSED, OPEN or HALF_OPEN
 * @param openUntilMs while OPEN, when the probe may go
 * @param failureRate the failure share that last opened it
 */
public record BreakerState(
        @JsonProperty("v") int formatVersion,
        State state,
        long openUntilMs,
        double failureRate,
        long changedAtMs) {
    public enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    public static final int FORMAT_VERSION = 1;

    public BreakerState {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        state = state == null ? State.CLOSED : state;
    }
}
