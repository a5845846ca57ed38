package io.drover.model;

/**
 * A task with this id already exists with a different spec (not retryable: choose another id), or,
 * as a subclass says, the task is in no state for what was asked.
 */
public class TaskConflictException extends DroverException {
    private static final long serialVersionUID = 1L;

    public TaskConflictException(String taskId) {
        super("task " + taskId + " already exists with a different spec", false);
    }

    /** Another conflict with the task as it stands, said in {@code message}. */
    protected TaskConflictException(String message, boolean retryable) {
        super(message, retryable);
    }
}
