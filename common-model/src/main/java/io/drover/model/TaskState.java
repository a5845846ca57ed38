package io.drover.model;

/**
 * The life cycle of a task. PENDING → ASSIGNED → RUNNING → one of the three terminal states; a task
 * with dependencies, and a broadcast gathering its responses, is WAITING first.
 */
public enum TaskState {
    /**
     * Not yet dispatchable: waiting for the tasks it depends on to end, or (a broadcast) for its
     * responses. The leader moves it on; it holds no pending entry meanwhile.
     */
    WAITING,
    PENDING,
    ASSIGNED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /**
     * A terminal state is written once, by the owner of the current attempt, and left only when
     * someone asks for a FAILED or CANCELLED task to run again (a new series of attempts).
     */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
