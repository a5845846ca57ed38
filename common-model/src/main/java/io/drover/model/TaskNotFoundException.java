package io.drover.model;

/** No task with this id exists (never submitted, or garbage-collected after its retention). */
public class TaskNotFoundException extends DroverException {
    public TaskNotFoundException(String taskId) {
        super("no task with id " + taskId, false);
    }
}
