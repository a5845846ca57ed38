package io.drover.worker;

import io.drover.model.TaskState;

/**
 * Something that happened to an attempt on this worker, for listeners, metrics and tests.
 *
 * @param state the committed terminal state for COMMITTED and REJECTED, else null
 * @param detail a human-readable reason, may be null
 */
public record TaskEvent(
        Kind kind, String taskId, int attempt, long fencingToken, TaskState state, String detail) {
    public enum Kind {
        /** The claim succeeded and the handler was started. */
        STARTED,
        /** The terminal status was accepted by ZooKeeper. */
        COMMITTED,
        /**
         * ZooKeeper rejected the terminal status: the attempt was stale (session lost, revoked).
         */
        REJECTED,
        /** The attempt was handed back for another worker to run (worker stopping). */
        HANDED_BACK,
        /** The attempt was dropped without a commit (session lost or assignment revoked). */
        ABANDONED
    }
}
