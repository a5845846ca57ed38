package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One submission's outcome.
 *
 * @param created false when the same task (same id or idempotency key, same spec) already existed;
 *     absent for a task of a batch that was not accepted
 * @param status in a batch, the HTTP status this task alone would have had (201, 200, 409, 413,
 *     503)
 * @param error in a batch, why this task was not accepted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubmitResponse(String id, Boolean created, Integer status, String error) {
    public static SubmitResponse ok(String id, boolean created) {
        return new SubmitResponse(id, created, null, null);
    }
}
