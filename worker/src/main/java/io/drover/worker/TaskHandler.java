package io.drover.worker;

/**
 * Runs tasks of one type. Called on one of the worker's executor threads, one call per attempt,
 * possibly concurrently for different tasks. Return the result (any value Jackson can encode, or
 * null); throw to fail the attempt. Execution is at-least-once: use {@link
 * TaskContext#fencingToken()} to fence side effects downstream.
 */
@FunctionalInterface
public interface TaskHandler {
    Object handle(TaskContext context) throws Exception;
}
