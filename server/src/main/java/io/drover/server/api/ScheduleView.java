package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.RetryPolicy;
import io.drover.model.Schedule;
import io.drover.model.TaskSpec;

/**
 * A schedule as {@code GET /v1/schedules} shows it: its definition and what the leader fired.
 *
 * @param zone the time zone its cron is read in ({@code UTC} unless set)
 * @param task the task every tick submits, in the shape of a {@code POST /v1/tasks} body
 * @param revision the definition's revision: the {@code ETag} and what {@code If-Match} takes (the
 *     leader's firing does not change it)
 * @param nextTickMs the next tick it fires (epoch ms), as of this answer; absent while paused or
 *     when its cron names no time to come
 * @param lastTickMs the latest tick the leader handled, fired or skipped; absent before the first
 * @param lastFiredTickMs the tick of the last task it fired; absent before the first
 * @param lastTaskId the last task it fired ({@code <id>:<tick>}); absent before the first
 * @param sinceMs ticks at or before this time are not fired: when it was created, its cron or zone
 *     changed, or it was resumed
 * @param error what is wrong with its node when it does not validate (then only {@code id} is
 *     shown, and the leader skips it); absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleView(
        String id,
        String cron,
        String zone,
        SubmitRequest task,
        String misfire,
        String overlap,
        Boolean paused,
        Long revision,
        Long nextTickMs,
        Long lastTickMs,
        Long lastFiredTickMs,
        String lastTaskId,
        Long sinceMs,
        String error) {

    /** The view of a stored schedule, its next tick reckoned from {@code nowMs}. */
    public static ScheduleView of(Schedule s, long nowMs) {
        long next = s.parsedCron().nextAfter(Math.max(nowMs, s.firesAfterMs()));
        return new ScheduleView(
                s.id(),
                s.cron(),
                s.zone() == null ? "UTC" : s.zone(),
                task(s.task()),
                s.misfire().name(),
                s.overlap().name(),
                s.paused(),
                s.revision(),
                s.paused() || next < 0 ? null : next,
                positive(s.lastTickMs()),
                positive(s.lastFiredTickMs()),
                s.lastTaskId(),
                s.sinceMs(),
                null);
    }

    /** A schedule whose node does not validate. */
    public static ScheduleView corrupt(String id, String problem) {
        return new ScheduleView(
                id, null, null, null, null, null, null, null, null, null, null, null, null,
                problem);
    }

    /** A template as the body of {@code POST /v1/tasks} would give it. */
    static SubmitRequest task(TaskSpec t) {
        RetryPolicy r = t.retry();
        return new SubmitRequest(
                null,
                t.type(),
                t.payload(),
                t.priority(),
                t.maxAttempts(),
                t.timeoutMs() == 0 ? null : t.timeoutMs(),
                t.requiredLabels().isEmpty() ? null : t.requiredLabels(),
                null,
                null,
                r == null
                        ? null
                        : new SubmitRequest.Retry(
                                r.initialBackoffMs(), r.maxBackoffMs(), r.multiplier(), r.jitter()),
                t.broadcast(),
                null,
                null);
    }

    private static Long positive(long v) {
        return v > 0 ? v : null;
    }
}
