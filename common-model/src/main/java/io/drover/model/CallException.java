package io.drover.model;

/**
 * A request/response call ({@code DroverClient.call}) did not return a result: its task failed
 * ({@link CallFailedException}), was cancelled ({@link CallCancelledException}), or did not end in
 * time ({@link CallTimeoutException}). Each carries the task's id, so the caller can look at the
 * task, retry it or keep waiting for it.
 */
public abstract class CallException extends DroverException {
    private static final long serialVersionUID = 1L;

    private final String taskId;
    private final transient TaskStatus status;

    protected CallException(String message, boolean retryable, String taskId, TaskStatus status) {
        super(message, retryable);
        this.taskId = taskId;
        this.status = status;
    }

    /** The task the call submitted (or found, when it was submitted before with the same id). */
    public String taskId() {
        return taskId;
    }

    /** The task's last status seen; null when none was read before the call gave up. */
    public TaskStatus status() {
        return status;
    }
}
