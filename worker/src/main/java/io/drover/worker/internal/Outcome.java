package io.drover.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.model.TaskState;
import io.drover.worker.TaskFailedException;
import io.drover.worker.TaskHandler;

/**
 * How an attempt ended on this worker, before it is written: the state, a result or an error, and
 * whether a retry may help.
 */
record Outcome(TaskState state, JsonNode result, String error, boolean retryable) {

    /**
     * Runs the handler on the calling (pool) thread and says how it ended. Whatever it throws, even
     * an {@link Error}, ends the attempt: otherwise the attempt would hold its claim for ever.
     */
    static Outcome ofHandler(TaskHandler handler, Attempt a) {
        a.handlerStarted = true;
        try {
            Object result = handler.handle(a);
            return new Outcome(
                    TaskState.SUCCEEDED,
                    result == null ? null : DroverJson.mapper().valueToTree(result),
                    null,
                    false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(TaskState.FAILED, null, "interrupted", true);
        } catch (TaskFailedException e) {
            return new Outcome(
                    TaskState.FAILED, null, String.valueOf(e.getMessage()), e.isRetryable());
        } catch (IllegalArgumentException e) {
            boolean encoding =
                    e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException;
            return new Outcome(
                    TaskState.FAILED,
                    null,
                    encoding ? "result is not JSON-encodable: " + e.getMessage() : describe(e),
                    true);
        } catch (Throwable e) {
            return new Outcome(TaskState.FAILED, null, describe(e), true);
        } finally {
            a.handlerDone = true;
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
