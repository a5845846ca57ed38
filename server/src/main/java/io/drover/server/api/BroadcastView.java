package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.BroadcastOutcome;
import java.util.List;

/**
 * The broadcast side of a task in {@code GET /v1/tasks/{id}} ({@code docs/broadcast.md}). For a
 * broadcast: its policy and gathering time, and once fanned out the deadline and one response per
 * worker (live while it gathers, as recorded in its result once it ended). For a response: the
 * broadcast it belongs to and its worker.
 *
 * @param success ALL, QUORUM or ANY (a broadcast)
 * @param gatherMs how long it gathers after the fan-out (a broadcast)
 * @param deadlineMs when the gathering ends at the latest (once fanned out, while WAITING)
 * @param workers the workers it reached (once fanned out)
 * @param succeeded responses that succeeded so far
 * @param needed responses that must succeed
 * @param responses one per worker, in worker order; while it gathers, each response's current state
 * @param parentId the broadcast a response belongs to
 * @param targetWorker the only worker a response runs on
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BroadcastView(
        String success,
        Long gatherMs,
        Long deadlineMs,
        Integer workers,
        Integer succeeded,
        Integer needed,
        List<BroadcastOutcome.Response> responses,
        String parentId,
        String targetWorker) {

    /** A response task's side. */
    public static BroadcastView response(String parentId, String targetWorker) {
        return new BroadcastView(null, null, null, null, null, null, null, parentId, targetWorker);
    }
}
