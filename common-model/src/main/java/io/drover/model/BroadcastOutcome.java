package io.drover.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * What an ended broadcast's {@code result} holds: the policy, and one response per worker of the
 * set fixed at the fan-out, in worker order. Read it with {@link #of(TaskStatus)}: {@code
 * BroadcastOutcome.of(client.await(id, timeout)).orElseThrow().responses()}.
 *
 * @param success the policy the broadcast ended by
 * @param workers how many workers the broadcast reached
 * @param succeeded how many of their responses succeeded
 * @param needed how many had to succeed
 * @param responses one per worker
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BroadcastOutcome(
        Broadcast.Success success,
        int workers,
        int succeeded,
        int needed,
        List<Response> responses) {

    /**
     * The bytes of response results a broadcast's own result carries at most; the responses past it
     * name their task instead ({@code resultOmitted}), whose status keeps the result.
     */
    public static final int MAX_RESULT_BYTES = 128 * 1024;

    /** Error text kept per response. */
    public static final int MAX_ERROR_CHARS = 200;

    /**
     * One worker's response as it stood when the broadcast ended.
     *
     * @param workerId the worker
     * @param taskId its response task, where the full status is
     * @param state the response's state then: SUCCEEDED, FAILED or CANCELLED, or the state it was
     *     in at the deadline (it is cancelled then, and counts as failed)
     * @param attempt the response's attempt then
     * @param result the handler's result, when it succeeded and the result fitted
     * @param error why it failed, was lost, or did not count
     * @param resultOmitted true when the result did not fit in the broadcast's own (read the
     *     response task)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(
            String workerId,
            String taskId,
            TaskState state,
            int attempt,
            JsonNode result,
            String error,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean resultOmitted) {

        /** True when this response counts towards the policy. */
        public boolean succeeded() {
            return state == TaskState.SUCCEEDED;
        }
    }

    public BroadcastOutcome {
        responses = responses == null ? List.of() : List.copyOf(responses);
    }

    /** True when enough responses succeeded for the policy. */
    public boolean met() {
        return workers > 0 && succeeded >= needed;
    }

    /** One line for the parent's error when the policy was not met. */
    public String summary() {
        if (workers == 0) {
            return "the broadcast reached no worker";
        }
        return succeeded
                + " of "
                + workers
                + " responses succeeded; "
                + success
                + " needs "
                + needed;
    }

    /** This outcome as the JSON of a status's result. */
    public JsonNode toJson() {
        return DroverJson.mapper().valueToTree(this);
    }

    /**
     * The outcome an ended broadcast's status carries; empty for any other status (a task that is
     * no broadcast, one still gathering, or a result that is not an outcome).
     */
    public static Optional<BroadcastOutcome> of(TaskStatus status) {
        JsonNode r = status == null ? null : status.result();
        if (r == null || !r.isObject() || !r.has("responses") || !r.has("success")) {
            return Optional.empty();
        }
        try {
            return Optional.of(DroverJson.mapper().treeToValue(r, BroadcastOutcome.class));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
