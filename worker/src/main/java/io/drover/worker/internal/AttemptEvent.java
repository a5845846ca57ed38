package io.drover.worker.internal;

import io.drover.worker.TaskEvent;

/**
 * What can happen to an attempt: ZooKeeper answers, the handler, timers, the leader and the worker.
 */
sealed interface AttemptEvent {
    /** The claim multi went through (or a failed one turned out to be ours). */
    record ClaimSucceeded() implements AttemptEvent {}

    /** The claim is not ours: the assignment was revoked or the status moved on. */
    record ClaimRejected(String why) implements AttemptEvent {}

    /**
     * The spec could not be read (a connection problem): give the task back rather than fail it.
     */
    record SpecUnreadable(String why) implements AttemptEvent {}

    /**
     * The spec was read. {@code problem} says why the attempt cannot run (no spec, no handler for
     * its type), null if it can; {@code timeoutMs} is the task's timeout, 0 for none.
     */
    record SpecRead(String problem, long timeoutMs) implements AttemptEvent {}

    /** The handler returned, threw or was interrupted. */
    record HandlerReturned(Outcome outcome) implements AttemptEvent {}

    record TimedOut(long timeoutMs) implements AttemptEvent {}

    /** The leader flagged the assignment as cancelled. */
    record CancelRequested(long graceMs) implements AttemptEvent {}

    /** The handler did not stop within the cancel grace. */
    record CancelGraceExpired(long graceMs) implements AttemptEvent {}

    /** The worker stops or drains: give the attempt back. */
    record HandBackRequested() implements AttemptEvent {}

    /**
     * The attempt is no longer ours: the session was lost, the assignment revoked, the status moved
     * on. With the session alive, our claim is dropped so the leader recovers the task.
     */
    record Abandon(String why, boolean sessionLost) implements AttemptEvent {}

    /** The commit settled, one way or another. */
    record CommitSettled(TaskEvent.Kind kind, io.drover.model.TaskState state, String detail)
            implements AttemptEvent {}

    /**
     * The hand-back settled; {@code failure} is null when it was written (or nothing needed
     * writing).
     */
    record HandBackSettled(String failure) implements AttemptEvent {}
}
