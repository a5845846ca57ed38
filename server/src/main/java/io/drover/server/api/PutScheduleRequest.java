package io.drover.server.api;

import io.drover.model.InvalidTaskException;
import io.drover.model.Names;
import io.drover.model.Schedule;
import java.util.Arrays;
import java.util.Locale;

/**
 * The body of {@code PUT /v1/schedules/{id}}: the schedule's whole definition. A field left out
 * takes its default, so a PUT never keeps part of an older definition (what the leader fired is
 * kept: it is not part of the definition). Unknown fields are rejected.
 *
 * @param cron when it fires: six fields with seconds, such as {@code 0 0 2 * * *} (see {@link
 *     io.drover.model.Cron})
 * @param zone the IANA time zone the cron is read in; absent: UTC
 * @param task the task every tick submits, as the body of {@code POST /v1/tasks} without {@code
 *     id}, {@code idempotencyKey} and {@code notBeforeMs} (each tick's task is named after it)
 * @param misfire {@code SKIP} (the default) or {@code FIRE_ONCE}: what happens to ticks no leader
 *     fired on time
 * @param overlap {@code SKIP} (the default) or {@code ALLOW}: whether a tick fires while the task
 *     of an earlier one has not ended
 * @param paused create (or keep) it paused; absent: it runs
 */
public record PutScheduleRequest(
        String cron,
        String zone,
        SubmitRequest task,
        String misfire,
        String overlap,
        Boolean paused) {

    /**
     * The validated definition; throws {@link InvalidTaskException} naming the first bad field
     * ({@code cron}, {@code zone}, {@code task.type}, ...).
     */
    public Schedule toSchedule(String id) {
        Names.checkName("id", id);
        if (task == null) {
            throw new InvalidTaskException(
                    "task",
                    "is required: the task each tick submits, as for POST /v1/tasks, such as"
                            + " {\"type\": \"report\"}");
        }
        String named =
                "each tick's task is named <schedule>:<tick>, such as " + id + ":20260102T020000Z";
        if (task.id() != null) {
            throw new InvalidTaskException("task.id", "must be left out: " + named);
        }
        if (task.idempotencyKey() != null) {
            throw new InvalidTaskException("task.idempotencyKey", "must be left out: " + named);
        }
        if (task.notBeforeMs() != null) {
            throw new InvalidTaskException(
                    "task.notBeforeMs", "must be left out: a tick's task is due at its tick");
        }
        if (task.dependsOn() != null && !task.dependsOn().isEmpty()) {
            throw new InvalidTaskException(
                    "task.dependsOn",
                    "must be left out: every tick's task would wait for the same tasks");
        }
        Schedule s =
                Schedule.define(
                        id,
                        cron,
                        zone,
                        task.withId(id).toSpec("task."),
                        parse("misfire", misfire, Schedule.Misfire.class),
                        parse("overlap", overlap, Schedule.Overlap.class));
        return Boolean.TRUE.equals(paused) ? s.withPaused(true) : s;
    }

    /** {@code FIRE_ONCE}, {@code fire-once} or {@code fire_once}; null stays null (the default). */
    static <E extends Enum<E>> E parse(String field, String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().replace('-', '_').toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskException(
                    field,
                    "must be one of "
                            + Arrays.toString(type.getEnumConstants())
                            + ", was "
                            + (value.length() > 40 ? value.substring(0, 40) + "..." : value));
        }
    }
}
