package io.drover.model;

/**
 * A re-run of a task that is not FAILED or CANCELLED (it still runs, succeeded, or someone else
 * re-ran it first), or whose spec is gone. Not retryable as such; the API answers 409.
 */
public class RerunRefusedException extends TaskConflictException {
    private static final long serialVersionUID = 1L;

    private final TaskState state;

    public RerunRefusedException(String taskId, TaskState state) {
        super(
                "task "
                        + taskId
                        + " is "
                        + state
                        + ": only a FAILED or CANCELLED task can be retried",
                false);
        this.state = state;
    }

    /** For a task whose spec is gone (deleted by hand): there is nothing to run. */
    public RerunRefusedException(String taskId, TaskState state, String why) {
        super("task " + taskId + " cannot be retried: " + why, false);
        this.state = state;
    }

    /** The state the task was found in. */
    public TaskState state() {
        return state;
    }
}
