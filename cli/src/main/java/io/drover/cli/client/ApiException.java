package io.drover.cli.client;

import io.drover.model.DroverException;

/**
 * The API answered with an error, or could not be reached; carries the exit code the CLI ends with.
 */
public final class ApiException extends DroverException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public ApiException(String message, int exitCode, boolean retryable, Throwable cause) {
        super(message, retryable, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
