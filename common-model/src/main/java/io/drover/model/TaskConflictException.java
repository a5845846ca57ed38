package io.drover.model;

/** A task with this id already exists with a different spec. Not retryable: choose another id. */
public class TaskConflictException extends DroverException {
    private static final long serialVersionUID = 1L;

    public TaskConflictException(String taskId) {
        super("task " + taskId + " already exists with a different spec", false);
    }
}
