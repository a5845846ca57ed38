package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.TaskAttempt;
import java.util.List;

/**
 * One attempt of a task, as {@code GET /v1/tasks/{id}} shows its history (oldest first, at most
 * 16).
 *
 * @param series 1 for the task's first run, one more per re-run ({@code POST
 *     /v1/tasks/{id}/retry}): the console groups attempts by it
 * @param outcome RUNNING, SUCCEEDED, FAILED, CANCELLED, LOST (its worker or claim went away) or
 *     HANDED_BACK (its worker stopped and gave it back; not counted), or a name a newer Drover
 *     added
 * @param endedAtMs absent while it runs
 * @param error why it failed or was lost, at most 256 characters; absent otherwise
 * @param fencingToken the token its handler was given; absent when nobody knows it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttemptView(
        int attempt,
        int series,
        String worker,
        Long startedAtMs,
        Long endedAtMs,
        String outcome,
        String error,
        Long fencingToken) {

    public static List<AttemptView> of(List<TaskAttempt> history) {
        return history.stream()
                .map(
                        a ->
                                new AttemptView(
                                        a.attempt(),
                                        a.series(),
                                        a.workerId(),
                                        nonZero(a.startedAtMs()),
                                        nonZero(a.endedAtMs()),
                                        a.outcome(),
                                        a.error(),
                                        nonZero(a.fencingToken())))
                .toList();
    }

    private static Long nonZero(long v) {
        return v == 0 ? null : v;
    }
}
