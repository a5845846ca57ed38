package io.drover.cli.client;

/**
 * Exit codes of every {@code drover} command, stable for scripts: 0 success; 1 the operation failed
 * (a task did not succeed, a conflict, a server error); 2 bad usage or input the server rejected
 * (400, 413); 3 ZooKeeper or the API is unreachable or unavailable (retry later); 4 no such task,
 * worker or item (404); 5 not allowed: no credentials, unknown ones, or a role too small (401,
 * 403). {@code drover run} tells how its task ended: 6 failed, 7 cancelled, 8 not ended in time.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int UNAVAILABLE = 3;
    public static final int NOT_FOUND = 4;
    public static final int DENIED = 5;

    /** {@code drover run}: the task ended FAILED (its error is on stderr). */
    public static final int TASK_FAILED = 6;

    /** {@code drover run}: the task ended CANCELLED. */
    public static final int TASK_CANCELLED = 7;

    /** {@code drover run}: the task did not end within {@code --timeout}; it may still run. */
    public static final int TIMED_OUT = 8;

    private ExitCodes() {}

    /** The exit code for an HTTP error status. */
    public static int forStatus(int status) {
        return switch (status) {
            case 400, 413, 405, 415 -> USAGE;
            case 404 -> NOT_FOUND;
            case 401, 403 -> DENIED;
            case 503 -> UNAVAILABLE;
            default -> FAILED;
        };
    }
}
