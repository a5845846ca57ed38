package io.drover.model;

/**
 * The called task ended CANCELLED: someone asked for it. Not retryable: calling again would run
 * what someone chose to stop ({@code retry(taskId)} runs it again on purpose).
 */
public class CallCancelledException extends CallException {
    private static final long serialVersionUID = 1L;

    public CallCancelledException(TaskStatus status) {
        super("task " + status.taskId() + " was cancelled", false, status.taskId(), status);
    }
}
