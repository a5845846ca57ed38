package io.drover.model;

/**
 * The statuses of a task with dependencies ({@link TaskSpec#dependsOn()}): WAITING from submission
 * until the leader releases it to PENDING or cancels it, and WAITING again when such a task is
 * re-run. Kept apart from {@link TaskStatus} so that its file stays readable; see {@code
 * docs/workflows.md}. Stateless.
 */
public final class WaitingStatus {
    private WaitingStatus() {}

    /** The status a submission with dependencies starts with: WAITING, attempt 1. */
    public static TaskStatus of(TaskSpec spec, long specBytes) {
        return inState(TaskStatus.pending(spec, specBytes), TaskState.WAITING);
    }

    /** Every dependency succeeded (or the task runs anyway): PENDING, nothing else changed. */
    public static TaskStatus released(TaskStatus waiting) {
        return inState(waiting, TaskState.PENDING);
    }

    /** A FAILED or CANCELLED task with dependencies run again: it waits for them again first. */
    public static TaskStatus rerun(TaskStatus ended) {
        return inState(ended.rerun(), TaskState.WAITING);
    }

    /** The leader cancels it: a dependency failed, or someone asked. */
    public static TaskStatus cancelled(TaskStatus waiting, String why, long nowMs) {
        return waiting.finished(TaskState.CANCELLED, waiting.fencingToken(), null, why, nowMs);
    }

    private static TaskStatus inState(TaskStatus s, TaskState state) {
        return new TaskStatus(
                s.formatVersion(),
                s.taskId(),
                s.type(),
                state,
                s.attempt(),
                s.maxAttempts(),
                s.workerId(),
                s.epoch(),
                s.fencingToken(),
                s.submittedAtMs(),
                s.assignedAtMs(),
                s.startedAtMs(),
                s.finishedAtMs(),
                s.result(),
                s.error(),
                s.notBeforeMs(),
                s.progress(),
                s.submitSeq(),
                s.submittedBy(),
                s.specBytes(),
                s.attempts(),
                s.reruns(),
                s.runAs(),
                s.unknown());
    }
}
