package io.drover.coordinator.internal;

import io.drover.model.BreakerState;
import io.drover.model.CircuitBreakerPolicy;
import io.drover.model.TypePolicy;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The circuit breakers of the task types that have one (the Hystrix pattern), as seen by the
 * leader: CLOSED dispatches freely and counts outcomes over a sliding window; OPEN dispatches
 * nothing until its time is up; HALF_OPEN lets one probe through, whose outcome closes or reopens
 * the breaker. Every transition is handed to {@code persist}, so the state is visible and survives
 * failover. While OPEN, the type's policy says what its due tasks do ({@link #whenOpen}). Not
 * thread-safe: the leader's thread only.
 */
final class Breakers {
    private static final class Breaker {
        final ArrayDeque<Boolean> window = new ArrayDeque<>();
        BreakerState state =
                new BreakerState(BreakerState.FORMAT_VERSION, BreakerState.State.CLOSED, 0, 0, 0);
        String probe;
    }

    /**
     * What an OPEN breaker does to its type's due tasks now.
     *
     * @param action WAIT, FAIL_FAST, or FALLBACK to {@code runAs}
     * @param failureRate the failure share that opened it
     */
    record Open(TypePolicy.WhenOpen action, String runAs, double failureRate) {}

    private final Function<String, TypePolicy> types;
    private final BiConsumer<String, BreakerState> persist;
    private final Map<String, Breaker> breakers = new HashMap<>();

    Breakers(Function<String, TypePolicy> types, BiConsumer<String, BreakerState> persist) {
        this.types = types;
        this.persist = persist;
    }

    private CircuitBreakerPolicy policy(String type) {
        TypePolicy p = types.apply(type);
        return p == null ? null : p.breaker();
    }

    /**
     * Null unless the type's breaker is OPEN and its time is not up (then the probe goes, as with
     * WAIT, so HALF_OPEN behaves the same whatever the policy says); else what the policy's {@code
     * whenOpen} says. A FALLBACK waits while the fallback type's own breaker is not CLOSED, and
     * goes one hop only: the fallback's {@code whenOpen} does not apply to it.
     */
    Open whenOpen(String type, long nowMs) {
        TypePolicy p = types.apply(type);
        Breaker b = breakers.get(type);
        if (p == null
                || p.breaker() == null
                || b == null
                || b.state.state() != BreakerState.State.OPEN
                || nowMs >= b.state.openUntilMs()) {
            return null;
        }
        TypePolicy.WhenOpen action = p.whenOpen();
        if (action == TypePolicy.WhenOpen.FALLBACK && !closed(p.fallbackType())) {
            action = TypePolicy.WhenOpen.WAIT;
        }
        return new Open(
                action,
                action == TypePolicy.WhenOpen.FALLBACK ? p.fallbackType() : null,
                b.state.failureRate());
    }

    private boolean closed(String type) {
        Breaker b = breakers.get(type);
        return policy(type) == null || b == null || b.state.state() == BreakerState.State.CLOSED;
    }

    /** A state read back from ZooKeeper when a term starts. */
    void restore(String type, BreakerState state) {
        breaker(type).state =
                state.state() == BreakerState.State.HALF_OPEN
                        ? new BreakerState(
                                state.formatVersion(),
                                BreakerState.State.OPEN,
                                0,
                                state.failureRate(),
                                state.changedAtMs()) // re-probe
                        : state;
    }

    BreakerState state(String type) {
        Breaker b = breakers.get(type);
        return b == null ? null : b.state;
    }

    /** How many tasks of the type may be dispatched now: unlimited, 0, or 1 (the probe). */
    int allowance(String type, long nowMs) {
        CircuitBreakerPolicy policy = policy(type);
        Breaker b = breakers.get(type);
        if (policy == null || b == null) {
            return Integer.MAX_VALUE;
        }
        switch (b.state.state()) {
            case CLOSED -> {
                return Integer.MAX_VALUE;
            }
            case OPEN -> {
                if (nowMs < b.state.openUntilMs()) {
                    return 0;
                }
                transition(type, b, BreakerState.State.HALF_OPEN, 0, b.state.failureRate(), nowMs);
                return 1;
            }
            default -> {
                return b.probe == null ? 1 : 0;
            }
        }
    }

    /** When an OPEN breaker's time is up, or -1. */
    long openUntil(String type) {
        Breaker b = breakers.get(type);
        return b != null && b.state.state() == BreakerState.State.OPEN ? b.state.openUntilMs() : -1;
    }

    void dispatched(String type, String taskId) {
        Breaker b = breakers.get(type);
        if (b != null && b.state.state() == BreakerState.State.HALF_OPEN && b.probe == null) {
            b.probe = taskId;
        }
    }

    /**
     * An attempt of the type ended without a verdict (handed back, revoked, cancelled, never
     * assigned, or its outcome could not be read): if it was the probe, let another one through.
     */
    void probeEnded(String type, String taskId) {
        Breaker b = breakers.get(type);
        if (b != null && taskId.equals(b.probe)) {
            b.probe = null;
        }
    }

    /** An attempt of the type ended; returns true if the breaker changed state. */
    boolean outcome(String type, String taskId, boolean success, long nowMs) {
        CircuitBreakerPolicy policy = policy(type);
        if (policy == null) {
            return false;
        }
        Breaker b = breaker(type);
        if (b.state.state() == BreakerState.State.HALF_OPEN) {
            if (!taskId.equals(b.probe)) {
                return false;
            }
            b.probe = null;
            b.window.clear();
            if (success) {
                transition(type, b, BreakerState.State.CLOSED, 0, 0, nowMs);
            } else {
                transition(type, b, BreakerState.State.OPEN, nowMs + policy.openMs(), 1.0, nowMs);
            }
            return true;
        }
        if (b.state.state() == BreakerState.State.OPEN) {
            return false; // stragglers dispatched before it opened
        }
        b.window.addLast(success);
        while (b.window.size() > policy.windowSize()) {
            b.window.removeFirst();
        }
        long failures = b.window.stream().filter(ok -> !ok).count();
        double rate = (double) failures / b.window.size();
        if (b.window.size() >= policy.minCalls() && rate >= policy.failureRateThreshold()) {
            b.window.clear();
            transition(type, b, BreakerState.State.OPEN, nowMs + policy.openMs(), rate, nowMs);
            return true;
        }
        return false;
    }

    private Breaker breaker(String type) {
        return breakers.computeIfAbsent(type, t -> new Breaker());
    }

    private void transition(
            String type,
            Breaker b,
            BreakerState.State to,
            long openUntilMs,
            double rate,
            long nowMs) {
        b.state = new BreakerState(BreakerState.FORMAT_VERSION, to, openUntilMs, rate, nowMs);
        persist.accept(type, b.state);
    }
}
