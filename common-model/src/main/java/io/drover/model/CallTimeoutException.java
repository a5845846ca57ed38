package io.drover.model;

import java.time.Duration;

/**
 * The called task did not end within the call's timeout. It was submitted and <b>may still run</b>
 * and succeed: retryable in that the caller may keep waiting for it ({@code await(taskId(), ...)}),
 * or call again with the same task id, which finds the task instead of running it twice.
 */
public class CallTimeoutException extends CallException {
    private static final long serialVersionUID = 1L;

    /**
     * @param status the last status seen, null when none was read
     */
    public CallTimeoutException(String taskId, TaskStatus status, Duration timeout) {
        super(
                "task "
                        + taskId
                        + " did not end within "
                        + timeout.toMillis()
                        + " ms"
                        + (status == null ? "" : " (it was " + status.state() + ")")
                        + "; it may still run: wait for it by its id",
                true,
                taskId,
                status);
    }
}
