package io.drover.worker;

import io.drover.model.TaskState;
import io.drover.model.TaskStatus;

/**
 * Something that happened to an attempt on this worker, for listeners, metrics and tests.
 *
 * @param state the committed terminal state for COMMITTED and REJECTED, else null
 * @param detail a human-readable reason, may be null
 * @param status the task's status as this attempt last wrote it: the RUNNING one of its claim (from
 *     STARTED on), the one its commit wrote for COMMITTED (terminal, or PENDING for a retry); the
 *     leader's ASSIGNED one for an attempt that wrote nothing. Its times ({@code submittedAtMs},
 *     {@code assignedAtMs}, {@code startedAtMs}, {@code finishedAtMs}) let a listener measure queue
 *     wait and latency without reading ZooKeeper.
 * @param notBeforeMs the delayed start the task was submitted with ({@link
 *     io.drover.model.TaskSpec#notBeforeMs()}), 0 for none or when the spec was not read
 */
public record TaskEvent(
        Kind kind,
        String taskId,
        int attempt,
        long fencingToken,
        TaskState state,
        String detail,
        TaskStatus status,
        long notBeforeMs) {
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

    /** The task's type. */
    public String type() {
        return status.type();
    }
}
