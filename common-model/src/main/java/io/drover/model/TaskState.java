package io.drover.model;

/** The life cycle of a task. PENDING → ASSIGNED → RUNNING → one of the three terminal states. */
public enum TaskState {
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
