package io.drover.model;

/**
 * ZooKeeper could not be reached or the session was lost while a call was in flight. Retryable; for
 * writes the outcome is unknown, so read back before retrying a non-idempotent call.
 */
public class ZooKeeperUnavailableException extends DroverException {
    private static final long serialVersionUID = 1L;

    public ZooKeeperUnavailableException(String message, Throwable cause) {
        super(message, true, cause);
    }
}
