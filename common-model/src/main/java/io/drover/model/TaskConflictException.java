package io.drover.model;

/** A task with this id already exists with a different spec. Not retryable: choose another id. */
public class TaskConflictException extends DroverException {
    public TaskConflictException(String taskId) {
        super("task " + taskId + " already exists with a different spec", false);
    }
}
