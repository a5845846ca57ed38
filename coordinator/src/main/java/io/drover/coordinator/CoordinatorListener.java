package io.drover.coordinator;

import io.drover.model.TaskStatus;

/**
 * Hears what this coordinator does as the leader, for metrics and tests. Called on the leader's
 * thread: return quickly and never block. A listener that throws is logged and skipped.
 */
public interface CoordinatorListener {
    /** This coordinator leads in {@code epoch} and has rebuilt its view of the cluster. */
    default void leadershipStarted(long epoch) {}

    /**
     * The leader wrote the end of a task itself, and ZooKeeper accepted it: a task cancelled while
     * pending or assigned, or failed or cancelled after its worker was lost. The ends that workers
     * commit are theirs to report ({@code WorkerListener}), so each end is reported once, by the
     * process that wrote it.
     *
     * @param end the terminal status as written
     */
    default void taskEnded(TaskStatus end) {}
}
