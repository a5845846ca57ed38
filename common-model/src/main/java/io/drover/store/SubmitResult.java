package io.drover.store;

/**
 * The answer to a submission.
 *
 * @param taskId the task's id
 * @param created false when a task with this id and the same spec already existed (idempotent
 *     retry)
 */
public record SubmitResult(String taskId, boolean created) {}
