package io.drover.coordinator.internal;

import io.drover.model.Cron;
import io.drover.model.Schedule;

/**
 * Decides, for one schedule at one moment, which tick to fire, which ticks to record as handled,
 * and when to look again. Pure: no ZooKeeper and no clock, so every rule is checked by plain unit
 * tests, and {@link ScheduleRunner} only reads and writes.
 *
 * <p>The rules:
 *
 * <ol>
 *   <li>a paused schedule fires nothing and needs no wake-up (resuming rewrites it, which the
 *       leader watches);
 *   <li>the ticks due are those after {@link Schedule#firesAfterMs()} (the last tick handled, or
 *       when the schedule was defined or resumed) up to now. None due: wake up at the next;
 *   <li>the latest tick due is fired when it is at most {@code graceMs} old (on time, whatever came
 *       before it); with {@link Schedule.Misfire#FIRE_ONCE} it is fired however late, one task
 *       standing for every tick missed. Otherwise ({@link Schedule.Misfire#SKIP}) the ticks are
 *       only recorded as handled;
 *   <li>with {@link Schedule.Overlap#SKIP}, a tick that would fire while the last task fired has
 *       not ended is recorded as handled instead ({@link Decision#skipped()}); whether it ended is
 *       the runner's question to ZooKeeper ({@link #needsOverlapCheck}).
 * </ol>
 *
 * Stateless and thread-safe.
 */
final class SchedulePlanner {
    private SchedulePlanner() {}

    /**
     * What to do now.
     *
     * @param fireTickMs the tick to fire a task for, or -1
     * @param handledTickMs the latest tick to record as handled (fired or skipped), or -1 when
     *     nothing is due
     * @param wakeAtMs when to plan again (the next tick), or -1 for never
     * @param late whether the due ticks include one more than the grace old (a misfire)
     */
    record Decision(long fireTickMs, long handledTickMs, long wakeAtMs, boolean late) {
        static final Decision NOTHING = new Decision(-1, -1, -1, false);

        boolean fires() {
            return fireTickMs >= 0;
        }

        /** Whether the schedule's record changes (a task fired, or ticks skipped). */
        boolean writes() {
            return handledTickMs >= 0;
        }

        /** The same ticks handled without firing (the overlap rule). */
        Decision skipped() {
            return new Decision(-1, handledTickMs, wakeAtMs, late);
        }
    }

    /**
     * @param cron the schedule's parsed cron ({@link Schedule#parsedCron()})
     * @param graceMs how late a tick may fire and still be on time ({@link
     *     Schedule#MISFIRE_GRACE_MS})
     */
    static Decision plan(Schedule schedule, Cron cron, long nowMs, long graceMs) {
        if (schedule.paused()) {
            return Decision.NOTHING;
        }
        long first = cron.nextAfter(schedule.firesAfterMs());
        if (first < 0) {
            return Decision.NOTHING;
        }
        if (first > nowMs) {
            return new Decision(-1, -1, first, false);
        }
        long latest = Math.max(first, cron.latestAtOrBefore(nowMs));
        boolean onTime = nowMs - latest <= graceMs;
        boolean fire = onTime || schedule.misfire() == Schedule.Misfire.FIRE_ONCE;
        boolean late = nowMs - first > graceMs;
        return new Decision(fire ? latest : -1, latest, cron.nextAfter(latest), late);
    }

    /**
     * Whether the decision to fire waits on the answer to "has the last task fired ended?": under
     * {@link Schedule.Overlap#SKIP}, when a task was fired before and {@code knownEndedTaskId} (the
     * last task the runner saw end, or null) is not it.
     */
    static boolean needsOverlapCheck(Schedule schedule, Decision d, String knownEndedTaskId) {
        return d.fires()
                && schedule.overlap() == Schedule.Overlap.SKIP
                && schedule.lastTaskId() != null
                && !schedule.lastTaskId().equals(knownEndedTaskId);
    }
}
