package io.drover.server.api;

/**
 * The answer to {@code POST /v1/tasks/{id}/retry}: the task is PENDING again.
 *
 * @param state PENDING
 * @param series the new series of attempts (2 after the first re-run), attempt 1 of which comes
 *     next
 * @param maxAttempts the attempts the new series may use
 */
public record RetryResponse(String id, String state, int series, int maxAttempts) {}
