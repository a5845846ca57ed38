package io.drover.model;

/**
 * Base of every exception Drover throws on purpose. Each one says whether retrying the same call
 * can help ({@link #isRetryable()}), in the spirit of ZooKeeper's own error classes.
 */
public class DroverException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public DroverException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public DroverException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /**
     * True when the same call may succeed later (connection loss, no leader yet); false for bad
     * input or lost fences.
     */
    public boolean isRetryable() {
        return retryable;
    }
}
