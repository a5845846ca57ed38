package io.drover.model;

/** No task with this id exists (never submitted, or garbage-collected after its retention). */
public class TaskNotFoundException extends DroverException {
    private static final long serialVersionUID = 1L;

    public TaskNotFoundException(String taskId) {
        super("no task with id " + taskId, false);
    }

    /** Something else that is not there, said in {@code message}. */
    protected TaskNotFoundException(String message, boolean retryable) {
        super(message, retryable);
    }
}
