package io.drover.model;

/** What a worker announces about its willingness to take work. */
public enum WorkerState {
    /** Takes new tasks. */
    ACTIVE,
    /** Finishes or hands back what it runs and takes nothing new. */
    DRAINING
}
