package io.drover.model;

/**
 * When to stop dispatching a task type (the Hystrix pattern). Over the last {@code windowSize}
 * finished tasks of the type, if at least {@code minCalls} finished and the share that failed is at
 * least {@code failureRateThreshold}, the breaker opens: nothing of the type is dispatched for
 * {@code openMs}. Then one probe task goes through (half-open); its success closes the breaker, its
 * failure opens it again.
 */
public record CircuitBreakerPolicy(
        double failureRateThreshold, int windowSize, int minCalls, long openMs) {
    public CircuitBreakerPolicy validate() {
        if (!(failureRateThreshold > 0 && failureRateThreshold <= 1)) {
            throw new InvalidTaskException(
                    "breaker.failureRateThreshold",
                    "must be in (0, 1], was " + failureRateThreshold);
        }
        if (windowSize < 1 || windowSize > 10_000) {
            throw new InvalidTaskException(
                    "breaker.windowSize", "must be between 1 and 10000, was " + windowSize);
        }
        if (minCalls < 1 || minCalls > windowSize) {
            throw new InvalidTaskException(
                    "breaker.minCalls", "must be between 1 and windowSize, was " + minCalls);
        }
        if (openMs < 1 || openMs > 86_400_000L) {
            throw new InvalidTaskException(
                    "breaker.openMs", "must be between 1 and 86400000, was " + openMs);
        }
        return this;
    }
}
