package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.BreakerState;
import io.drover.model.CircuitBreakerPolicy;
import io.drover.model.RateLimit;
import io.drover.model.TypePolicy;

/**
 * A task type as {@code GET /v1/types} shows it: its policy, its circuit breaker's state, and its
 * tasks not yet ended. Read from ZooKeeper at one moment (not atomically).
 *
 * @param type the task type
 * @param policy the type's policy ({@code types/<type>}), null when it has none
 * @param policyVersion the policy node's version: the {@code ETag} and what {@code If-Match} takes;
 *     absent without a policy
 * @param breaker the circuit breaker's state as the leader last wrote it ({@code breakers/<type>}),
 *     null when it never changed state
 * @param pending tasks of the type waiting for dispatch, as the leader counted them at most a
 *     second or so ago; absent until the current leader has published counts
 * @param running tasks of the type assigned to a worker or running there, counted the same way
 * @param error what is wrong with the type's policy or breaker node when one does not validate;
 *     absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TypeView(
        String type,
        @JsonInclude(JsonInclude.Include.ALWAYS) Policy policy,
        Integer policyVersion,
        @JsonInclude(JsonInclude.Include.ALWAYS) Breaker breaker,
        Long pending,
        Long running,
        String error) {

    /**
     * A type's policy without the storage format's version field.
     *
     * @param maxConcurrent tasks of the type assigned or running at once across the cluster; 0: no
     *     limit
     * @param breaker the circuit breaker's settings, null for none
     * @param maxLiveTasks tasks of the type not yet ended that the cluster takes; 0: only the
     *     cluster's own cap
     * @param rateLimit tasks of the type started per second, with a burst; absent for none
     * @param whenOpen what the type's tasks do while its breaker is OPEN: WAIT, FAIL_FAST, FALLBACK
     * @param fallbackType with FALLBACK, the type whose handler runs them meanwhile; else absent
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Policy(
            int maxConcurrent,
            @JsonInclude(JsonInclude.Include.ALWAYS) CircuitBreakerPolicy breaker,
            long maxLiveTasks,
            RateLimit rateLimit,
            TypePolicy.WhenOpen whenOpen,
            String fallbackType) {
        public static Policy of(TypePolicy p) {
            return new Policy(
                    p.maxConcurrent(),
                    p.breaker(),
                    p.maxLiveTasks(),
                    p.rateLimit(),
                    p.whenOpen(),
                    p.fallbackType());
        }
    }

    /**
     * @param state CLOSED, OPEN or HALF_OPEN
     * @param openUntilMs while OPEN, when the probe may go; absent otherwise
     * @param failureRate the failure share that last opened it
     * @param changedAtMs when it last changed state
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Breaker(String state, Long openUntilMs, double failureRate, long changedAtMs) {
        public static Breaker of(BreakerState b) {
            return new Breaker(
                    b.state().name(),
                    b.state() == BreakerState.State.OPEN ? b.openUntilMs() : null,
                    b.failureRate(),
                    b.changedAtMs());
        }
    }
}
