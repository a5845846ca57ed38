package io.drover.model;

/**
 * The life cycle of a graph ({@link GraphRecord}): STAGING while its submitter writes its tasks,
 * RUNNING once sealed, then one of the three ends once every task has ended (FAILED if any task
 * failed, else CANCELLED if any was cancelled, else SUCCEEDED); ABANDONED when its staging was
 * given up (nothing of it runs). A re-run makes an ended graph RUNNING again.
 */
public enum GraphState {
    STAGING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    ABANDONED;

    /** Sealed: its tasks run (or ran). */
    public boolean isSealed() {
        return this != STAGING && this != ABANDONED;
    }

    /** Every task has ended. */
    public boolean isEnded() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
