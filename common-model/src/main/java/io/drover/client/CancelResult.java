package io.drover.client;

import io.drover.model.TaskState;

/**
 * The answer to a cancellation.
 *
 * @param outcome REQUESTED (recorded in ZooKeeper; the leader or the running worker carries it out)
 *     or ALREADY_TERMINAL (nothing to do: the task had ended)
 * @param state the task's state when the request was made
 */
public record CancelResult(String taskId, Outcome outcome, TaskState state) {
    public enum Outcome {
        REQUESTED,
        ALREADY_TERMINAL
    }
}
