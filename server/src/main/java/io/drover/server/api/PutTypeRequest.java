package io.drover.server.api;

import io.drover.model.CircuitBreakerPolicy;
import io.drover.model.RateLimit;
import io.drover.model.TypePolicy;

/**
 * The body of {@code PUT /v1/types/{type}}: the type's whole policy. A field left out means "no
 * limit" (0) or "no breaker" (null), so a PUT never keeps part of an older policy. Unknown fields
 * are rejected, so a typo cannot silently drop a setting.
 *
 * @param maxConcurrent tasks of the type assigned or running at once across the cluster, 0 to
 *     1,000,000; 0 or absent: no limit
 * @param breaker the circuit breaker ({@code failureRateThreshold}, {@code windowSize}, {@code
 *     minCalls}, {@code openMs}); null or absent: none
 * @param maxLiveTasks tasks of the type not yet ended that the cluster takes, 0 to {@value
 *     TypePolicy#MAX_LIVE_TASKS}; 0 or absent: only the cluster's cap
 * @param rateLimit tasks of the type started per second ({@code perSecond}) with a {@code burst};
 *     null or absent: no rate limit
 * @param whenOpen what the type's pending tasks do while its breaker is OPEN: WAIT (absent),
 *     FAIL_FAST or FALLBACK (needs a breaker)
 * @param fallbackType with FALLBACK, the type whose handler runs them meanwhile
 */
public record PutTypeRequest(
        Integer maxConcurrent,
        CircuitBreakerPolicy breaker,
        Long maxLiveTasks,
        RateLimit rateLimit,
        TypePolicy.WhenOpen whenOpen,
        String fallbackType) {
    /** The request of the settings before rate limits and breaker fallbacks. */
    public PutTypeRequest(Integer maxConcurrent, CircuitBreakerPolicy breaker, Long maxLiveTasks) {
        this(maxConcurrent, breaker, maxLiveTasks, null, null, null);
    }

    /**
     * The validated policy; throws {@link io.drover.model.InvalidTaskException} naming the first
     * bad field.
     */
    public TypePolicy toPolicy() {
        return new TypePolicy(
                        TypePolicy.FORMAT_VERSION,
                        maxConcurrent == null ? 0 : maxConcurrent,
                        breaker,
                        maxLiveTasks == null ? 0 : maxLiveTasks,
                        rateLimit,
                        whenOpen,
                        fallbackType)
                .validate();
    }
}
