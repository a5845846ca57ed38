package io.drover.worker;

/**
 * Thrown by a handler to fail an attempt with a clear message and to say whether another attempt
 * could succeed. Any other exception counts as retryable.
 *
 * <pre>{@code throw TaskFailedException.permanent("image is not a PNG");}</pre>
 */
public class TaskFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public TaskFailedException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    /** Fails the task now, whatever attempts are left. */
    public static TaskFailedException permanent(String message) {
        return new TaskFailedException(message, false);
    }

    /** Fails this attempt; the task is retried after its backoff if attempts are left. */
    public static TaskFailedException retryable(String message) {
        return new TaskFailedException(message, true);
    }

    public boolean isRetryable() {
        return retryable;
    }
}
