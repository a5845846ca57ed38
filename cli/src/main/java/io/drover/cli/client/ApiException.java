package io.drover.cli.client;

import io.drover.model.DroverException;

/**
 * The API answered with an error, or could not be reached; carries the exit code the CLI ends with.
 */
public final class ApiException extends DroverException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final int status;

    public ApiException(String message, int exitCode, boolean retryable, Throwable cause) {
        this(message, exitCode, retryable, cause, 0);
    }

    /**
     * @param status the HTTP status the API answered with; 0 when it did not answer
     */
    public ApiException(
            String message, int exitCode, boolean retryable, Throwable cause, int status) {
        super(message, retryable, cause);
        this.exitCode = exitCode;
        this.status = status;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The HTTP status of the error answer; 0 when the API did not answer. */
    public int status() {
        return status;
    }
}
