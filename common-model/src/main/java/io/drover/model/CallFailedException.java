package io.drover.model;

/**
 * The called task ended FAILED. {@link #isRetryable()} tells the two ways apart: true when it used
 * all its attempts (every failure was one the handler called retryable, or its worker was lost), or
 * when its last attempt never started (the leader failed it fast while its type's circuit breaker
 * was open), so running it again ({@code retry(taskId)}) or calling again may succeed; false when
 * it failed before its attempts ran out, which only a permanent failure does ({@code
 * TaskFailedException.permanent}, a result over the worker's size limit): the same input will fail
 * the same way. A status does not record why the last attempt failed, so a permanent failure on the
 * very last attempt reads as attempts exhausted.
 */
public class CallFailedException extends CallException {
    private static final long serialVersionUID = 1L;

    public CallFailedException(TaskStatus status) {
        super(message(status), exhausted(status), status.taskId(), status);
    }

    /** Why the last attempt failed, as the task's status says. */
    public String error() {
        return status().error();
    }

    /** True when the task failed before using all its attempts: a permanent failure. */
    public boolean isPermanent() {
        return !isRetryable();
    }

    /**
     * Attempts used up, or an attempt that never started: the leader failed it before it ran (its
     * type's breaker was open and fails fast, or a broadcast response's worker left), which says
     * nothing about the input.
     */
    private static boolean exhausted(TaskStatus s) {
        return s.attempt() >= s.maxAttempts() || s.startedAtMs() == 0;
    }

    private static String message(TaskStatus s) {
        return "task "
                + s.taskId()
                + " failed "
                + (exhausted(s)
                        ? "after all its " + s.maxAttempts() + " attempts"
                        : "for good on attempt " + s.attempt() + " of " + s.maxAttempts())
                + ": "
                + s.error();
    }
}
