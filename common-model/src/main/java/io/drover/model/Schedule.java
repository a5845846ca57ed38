package io.drover.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * A cron schedule, stored at {@code schedules/<id>}: at every tick of {@code cron} in {@code zone}
 * the leader submits {@code task} as a task of its own, named {@link #taskIdFor(String, long)}. One
 * node holds both halves: what people define (written through the API, each write one more {@code
 * revision}) and what the leader did (the {@code last*} fields, written in the same {@code multi}
 * as the task it fires), so neither half can go without the other. See {@code docs/schedules.md}.
 *
 * @param formatVersion the JSON format version ({@code v})
 * @param id the schedule's name: 1-64 of {@code A-Z a-z 0-9 . _ -}
 * @param cron when it fires, {@link Cron}'s syntax (six fields, with seconds)
 * @param zone the IANA time zone the cron's fields are read in; null means UTC
 * @param task the template of every task it fires; its own id is the schedule's, never used
 * @param misfire what happens to ticks nobody fired on time; null means {@link Misfire#SKIP}
 * @param overlap what a tick does while the last task fired is not over; null means {@link
 *     Overlap#SKIP}
 * @param paused a paused schedule fires nothing, and ticks while paused are never fired later
 * @param revision the definition's version: 1 when created, one more for every change through the
 *     API (the leader's writes keep it), and what {@code If-Match} names
 * @param sinceMs ticks at or before this time are not fired: when the schedule was created, its
 *     cron or zone changed or it was resumed
 * @param lastTickMs the latest tick the leader handled, fired or skipped; 0 for none yet
 * @param lastFiredTickMs the tick of the last task fired; 0 for none yet
 * @param lastTaskId the id of the last task fired, or null
 * @param unknown fields a newer writer added, kept through every rewrite
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Schedule(
        @JsonProperty("v") int formatVersion,
        String id,
        String cron,
        String zone,
        TaskSpec task,
        Misfire misfire,
        Overlap overlap,
        boolean paused,
        long revision,
        long sinceMs,
        long lastTickMs,
        long lastFiredTickMs,
        String lastTaskId,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknown) {

    public static final int FORMAT_VERSION = 1;

    /**
     * How late a tick may be fired and still count as on time: a leader's timer runs a little after
     * the tick, and a busy leader later still. A tick later than this is missed ({@link Misfire}).
     */
    public static final long MISFIRE_GRACE_MS = 5_000;

    private static final DateTimeFormatter TICK =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** Ticks nobody fired in time: while no leader held office, or a leader fell behind. */
    public enum Misfire {
        /** Missed ticks are not fired; the schedule goes on with the next one. */
        SKIP,
        /** One task is fired for all the ticks missed, at once, named after the latest of them. */
        FIRE_ONCE
    }

    /** A tick while the task of an earlier tick is still pending, assigned or running. */
    public enum Overlap {
        /** The tick fires nothing (one status read per tick tells whether the last task ended). */
        SKIP,
        /** The tick fires all the same: runs may overlap. */
        ALLOW
    }

    public Schedule {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        misfire = misfire == null ? Misfire.SKIP : misfire;
        overlap = overlap == null ? Overlap.SKIP : overlap;
        unknown = Unknown.copy(unknown);
    }

    /**
     * A schedule as people define it, validated: nothing fired yet, not paused. Throws {@link
     * InvalidTaskException} naming the first bad field ({@code id}, {@code cron}, {@code zone},
     * {@code task}).
     *
     * @param zone an IANA time zone, null for UTC
     * @param task the template; its id is replaced by the schedule's
     */
    public static Schedule define(
            String id, String cron, String zone, TaskSpec task, Misfire misfire, Overlap overlap) {
        Names.checkName("id", id);
        if (task == null) {
            throw new InvalidTaskException("task", "is required: the task each tick submits");
        }
        TaskSpec template = copy(task, id, null);
        return new Schedule(
                        FORMAT_VERSION,
                        id,
                        cron == null ? null : cron.strip(),
                        zone == null || zone.isEmpty() ? null : zone,
                        template,
                        misfire,
                        overlap,
                        false,
                        0,
                        0,
                        0,
                        0,
                        null,
                        null)
                .validate();
    }

    /** The same definition, paused or not (nothing is written). */
    public Schedule withPaused(boolean pause) {
        return new Schedule(
                formatVersion,
                id,
                cron,
                zone,
                task,
                misfire,
                overlap,
                pause,
                revision,
                sinceMs,
                lastTickMs,
                lastFiredTickMs,
                lastTaskId,
                unknown);
    }

    /** Checks every field; throws {@link InvalidTaskException} naming the first bad one. */
    public Schedule validate() {
        Names.checkName("id", id);
        Cron.parse(cron, zone);
        if (task == null) {
            throw new InvalidTaskException("task", "is required: the task each tick submits");
        }
        task.validate();
        if (task.idempotencyKey() != null || task.notBeforeMs() != 0) {
            throw new InvalidTaskException(
                    "task",
                    "must have no idempotencyKey and no notBeforeMs: every tick names its own");
        }
        if (!task.dependsOn().isEmpty()
                || task.graphId() != null
                || task.parentId() != null
                || task.targetWorker() != null) {
            throw new InvalidTaskException(
                    "task",
                    "must have no dependsOn, graphId, parentId or targetWorker: every tick's task"
                            + " would share them");
        }
        if (revision < 0) {
            throw new InvalidTaskException("revision", "must not be negative, was " + revision);
        }
        if (sinceMs < 0 || lastTickMs < 0 || lastFiredTickMs < 0) {
            throw new InvalidTaskException("sinceMs", "times must not be negative");
        }
        if (lastTaskId != null) {
            Names.checkId("lastTaskId", lastTaskId);
        }
        return this;
    }

    /** The parsed cron in the schedule's zone (throws {@link InvalidTaskException} if bad). */
    public Cron parsedCron() {
        return Cron.parse(cron, zone);
    }

    /**
     * The id of the task a schedule fires at a tick, the same whoever fires it: {@code
     * <scheduleId>:<tick as uuuuMMddTHHmmssZ>}, such as {@code nightly:20260102T020000Z}. A second
     * submission of the same tick can only clash with the first, never make another task.
     */
    public static String taskIdFor(String scheduleId, long tickMs) {
        return scheduleId + ":" + TICK.format(java.time.Instant.ofEpochMilli(tickMs));
    }

    /**
     * The task to submit for a tick: the template under the tick's id, naming this schedule, not
     * yet stamped with a submit time. Fields of the template that this version does not know stay.
     */
    public TaskSpec taskFor(long tickMs) {
        return copy(task, taskIdFor(id, tickMs), id);
    }

    /** A copy of a spec under another id (and schedule), through JSON: every field comes along. */
    private static TaskSpec copy(TaskSpec spec, String taskId, String scheduleId) {
        ObjectNode tree = DroverJson.mapper().valueToTree(spec);
        tree.put("id", taskId);
        if (scheduleId != null) {
            tree.put("scheduleId", scheduleId);
        }
        tree.remove(java.util.List.of("submittedAtMs", "submitSeq", "submittedBy"));
        try {
            return DroverJson.mapper().treeToValue(tree, TaskSpec.class).validate();
        } catch (JsonProcessingException e) {
            throw new InvalidTaskException("task", "cannot be copied: " + e.getOriginalMessage());
        }
    }

    // ---- the transitions of the stored record ---------------------------------------------------

    /** The first revision, as an API creates it at {@code nowMs}: ticks after now only. */
    public Schedule created(long nowMs) {
        return new Schedule(
                formatVersion,
                id,
                cron,
                zone,
                task,
                misfire,
                overlap,
                paused,
                1,
                nowMs,
                0,
                0,
                null,
                unknown);
    }

    /**
     * This stored schedule redefined by {@code requested} at {@code nowMs}: the next revision, with
     * what the leader recorded and the fields of newer writers kept. A new cron or zone, or a
     * resume, fires only ticks after now: the old definition's missed ticks are not the new one's.
     */
    public Schedule redefinedAs(Schedule requested, long nowMs) {
        boolean newTimes =
                !requested.cron().equals(cron)
                        || !requested
                                .parsedCron()
                                .zoneId()
                                .normalized()
                                .equals(parsedCron().zoneId().normalized())
                        || (paused && !requested.paused());
        return new Schedule(
                formatVersion,
                id,
                requested.cron(),
                requested.zone(),
                requested.task(),
                requested.misfire(),
                requested.overlap(),
                requested.paused(),
                revision + 1,
                newTimes ? Math.max(nowMs, sinceMs) : sinceMs,
                lastTickMs,
                lastFiredTickMs,
                lastTaskId,
                unknown);
    }

    /**
     * The leader handled every tick up to {@code tickMs}: fired {@code firedTaskId} for it, or,
     * when that is null, skipped them (missed, or overlapping a run not over).
     */
    public Schedule handled(long tickMs, String firedTaskId) {
        return new Schedule(
                formatVersion,
                id,
                cron,
                zone,
                task,
                misfire,
                overlap,
                paused,
                revision,
                sinceMs,
                tickMs,
                firedTaskId == null ? lastFiredTickMs : tickMs,
                firedTaskId == null ? lastTaskId : firedTaskId,
                unknown);
    }

    /** The tick after which the next one may fire: the later of the last handled and since. */
    public long firesAfterMs() {
        return Math.max(lastTickMs, sinceMs);
    }
}
