package io.drover.client;

/**
 * Why a task is not running yet, as far as ZooKeeper's current state tells.
 *
 * @param detail one human-readable sentence
 */
public record PendingExplanation(String taskId, Reason reason, String detail) {
    public enum Reason {
        /** The task is not pending (it runs or has ended); nothing to explain. */
        NOT_PENDING,
        /** It waits for its not-before time (a delayed start or a retry backoff). */
        NOT_BEFORE,
        /** No coordinator is leading, so nothing is dispatched (submissions are still accepted). */
        NO_LEADER,
        /** No active worker announces the task's type with the required labels. */
        NO_CAPABLE_WORKER,
        /**
         * The type's circuit breaker is open or half-open (or, for a type that falls back, the
         * fallback type's breaker is not closed).
         */
        CIRCUIT_OPEN,
        /** The type's cluster-wide concurrency limit is reached. */
        TYPE_LIMIT_REACHED,
        /** Every capable worker is full. */
        ALL_CAPABLE_WORKERS_FULL,
        /**
         * The type's rate limit holds it back: the leader's last dispatch pass found the type's
         * token bucket empty with tasks waiting, and capable workers have room.
         */
        RATE_LIMITED,
        /**
         * Nothing stands in its way: it is dispatched in priority order with the tasks ahead of it.
         */
        WAITING_FOR_DISPATCH
    }
}
