package io.drover.model;

/**
 * A fenced write was rejected because the writer's fence (leader epoch, claim or status version) no
 * longer holds: someone newer owns the work. Not retryable by this writer: stop acting.
 */
public class FenceLostException extends DroverException {
    private static final long serialVersionUID = 1L;

    public FenceLostException(String message, Throwable cause) {
        super(message, false, cause);
    }
}
