package io.drover.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A schedule's definition rules, its cron's ticks, and the task each tick submits. */
class ScheduleTest {
    private static final TaskSpec REPORT =
            TaskSpec.builder("report").payloadJson("{\"a\":1}").build();

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void badCron_isAnErrorNamingCron_withTheSyntaxExpected() {
        for (String bad : new String[] {"0 0 2 * *", "0 0 25 * * *", "", "every day", "@reboot"}) {
            assertThatThrownBy(() -> Schedule.define("s", bad, null, REPORT, null, null))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            InvalidTaskException.class,
                            e -> assertThat(e.field()).isEqualTo("cron"))
                    .hasMessageContaining("6 fields: second minute hour");
        }
    }

    @Test
    void badZone_orId_orMissingTask_isAnErrorNamingTheField() {
        assertThatThrownBy(() -> Schedule.define("s", "@daily", "Mars/Olympus", REPORT, null, null))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class, e -> assertThat(e.field()).isEqualTo("zone"))
                .hasMessageContaining("Europe/Paris");
        assertThatThrownBy(() -> Schedule.define("a/b", "@daily", null, REPORT, null, null))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class, e -> assertThat(e.field()).isEqualTo("id"));
        assertThatThrownBy(() -> Schedule.define("s", "@daily", null, null, null, null))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class, e -> assertThat(e.field()).isEqualTo("task"));
    }

    @Test
    void aTemplateWithDependencies_isRefused_sinceEveryTicksTaskWouldShareThem() {
        TaskSpec waits = TaskSpec.builder("report").dependsOn("extract-1").build();
        assertThatThrownBy(() -> Schedule.define("s", "@daily", null, waits, null, null))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class, e -> assertThat(e.field()).isEqualTo("task"))
                .hasMessageContaining("dependsOn");
    }

    @Test
    void cronWithSeconds_ticksEveryTwoSeconds_andLatestIsInclusive() {
        Cron every2s = Cron.parse("*/2 * * * * *", null);
        long t = at("2026-01-01T10:00:02Z");

        assertThat(every2s.nextAfter(t)).isEqualTo(at("2026-01-01T10:00:04Z"));
        assertThat(every2s.nextAfter(t - 1)).isEqualTo(t);
        assertThat(every2s.latestAtOrBefore(t)).isEqualTo(t);
        assertThat(every2s.latestAtOrBefore(t + 1_999)).isEqualTo(t);
        assertThat(Cron.parse("0 0 0 31 2 *", null).nextAfter(t)).as("never").isEqualTo(-1);
        Cron everySecond = Cron.parse("* * * * * *", null);
        assertThat(everySecond.nextAfter(t + 255)).as("whole seconds").isEqualTo(t + 1_000);
        assertThat(everySecond.latestAtOrBefore(t + 999)).isEqualTo(t);
    }

    @Test
    void zoneWithDaylightSaving_nineOClockParisIsEightUtcInWinter_sevenInSummer() {
        Cron nine = Cron.parse("0 0 9 * * *", "Europe/Paris");

        assertThat(nine.nextAfter(at("2026-01-15T00:00:00Z")))
                .isEqualTo(at("2026-01-15T08:00:00Z"));
        assertThat(nine.nextAfter(at("2026-07-15T00:00:00Z")))
                .isEqualTo(at("2026-07-15T07:00:00Z"));
    }

    @Test
    void taskOfATick_isTheTemplateUnderTheTicksId_namingTheSchedule() {
        Schedule s =
                Schedule.define(
                        "nightly",
                        "0 0 2 * * *",
                        "Europe/Paris",
                        REPORT,
                        Schedule.Misfire.FIRE_ONCE,
                        null);
        long tick = at("2026-01-02T01:00:00Z");

        TaskSpec task = s.taskFor(tick);

        assertThat(s.task().id()).as("the template goes by the schedule's id").isEqualTo("nightly");
        assertThat(task.id()).isEqualTo("nightly:20260102T010000Z");
        assertThat(Schedule.taskIdFor("nightly", tick)).isEqualTo(task.id());
        assertThat(task.scheduleId()).isEqualTo("nightly");
        assertThat(task.type()).isEqualTo("report");
        assertThat(task.payload().get("a").asInt()).isEqualTo(1);
        assertThat(task.submittedAtMs()).isZero();
    }

    @Test
    void redefinition_keepsWhatTheLeaderFired_andOnlyANewCronZoneOrResumeMovesSince() {
        Schedule stored =
                Schedule.define("s", "@hourly", null, REPORT, null, null)
                        .created(1_000)
                        .handled(3_600_000, "s:19700101T010000Z");

        Schedule sameTimes =
                stored.redefinedAs(
                        Schedule.define(
                                "s",
                                "@hourly",
                                "UTC",
                                TaskSpec.builder("other").build(),
                                null,
                                null),
                        5_000_000);
        Schedule newCron =
                stored.redefinedAs(
                        Schedule.define("s", "@daily", null, REPORT, null, null), 5_000_000);
        Schedule resumed = stored.withPaused(true).redefinedAs(stored.withPaused(false), 6_000_000);

        assertThat(sameTimes.revision()).isEqualTo(2);
        assertThat(sameTimes.lastTaskId()).isEqualTo("s:19700101T010000Z");
        assertThat(sameTimes.lastTickMs()).isEqualTo(3_600_000);
        assertThat(sameTimes.sinceMs()).as("UTC is the default zone: same times").isEqualTo(1_000);
        assertThat(sameTimes.task().type()).isEqualTo("other");
        assertThat(newCron.sinceMs()).isEqualTo(5_000_000);
        assertThat(newCron.lastTickMs()).isEqualTo(3_600_000);
        assertThat(resumed.sinceMs()).isEqualTo(6_000_000);
        assertThat(resumed.paused()).isFalse();
    }
}
