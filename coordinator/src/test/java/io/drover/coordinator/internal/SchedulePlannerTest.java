package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.coordinator.internal.SchedulePlanner.Decision;
import io.drover.model.Cron;
import io.drover.model.InvalidTaskException;
import io.drover.model.Schedule;
import io.drover.model.TaskSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tick rules of {@link SchedulePlanner}, without ZooKeeper or a clock. */
class SchedulePlannerTest {
    private static final long GRACE = Schedule.MISFIRE_GRACE_MS;

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static Schedule every2s(Schedule.Misfire misfire, Schedule.Overlap overlap) {
        return Schedule.define(
                        "s", "*/2 * * * * *", null, TaskSpec.builder("t").build(), misfire, overlap)
                .created(at("2026-01-01T10:00:00.500Z"));
    }

    private static Decision plan(Schedule s, long now) {
        return SchedulePlanner.plan(s, s.parsedCron(), now, GRACE);
    }

    @Test
    void nothingDueYet_firesNothing_wakesAtTheFirstTickAfterTheDefinition() {
        Decision d = plan(every2s(null, null), at("2026-01-01T10:00:01Z"));

        assertThat(d.fires()).isFalse();
        assertThat(d.writes()).isFalse();
        assertThat(d.wakeAtMs()).isEqualTo(at("2026-01-01T10:00:02Z"));
    }

    @Test
    void tickOnTime_firesIt_andWakesAtTheNext() {
        Decision d = plan(every2s(null, null), at("2026-01-01T10:00:02.040Z"));

        assertThat(d.fireTickMs()).isEqualTo(at("2026-01-01T10:00:02Z"));
        assertThat(d.handledTickMs()).isEqualTo(d.fireTickMs());
        assertThat(d.wakeAtMs()).isEqualTo(at("2026-01-01T10:00:04Z"));
        assertThat(d.late()).isFalse();
    }

    @Test
    void tickAlreadyHandled_isNeverFiredAgain() {
        Schedule fired =
                every2s(null, null).handled(at("2026-01-01T10:00:02Z"), "s:20260101T100002Z");

        Decision d = plan(fired, at("2026-01-01T10:00:03Z"));

        assertThat(d.writes()).isFalse();
        assertThat(d.wakeAtMs()).isEqualTo(at("2026-01-01T10:00:04Z"));
    }

    @Test
    void ticksMissedWhileNoLeaderHeldOffice_skip_recordsThemWithoutATask_unlessTheLatestIsOnTime() {
        Schedule s =
                Schedule.define(
                                "s",
                                "*/10 * * * * *",
                                null,
                                TaskSpec.builder("t").build(),
                                Schedule.Misfire.SKIP,
                                null)
                        .created(at("2026-01-01T09:00:00Z"))
                        .handled(at("2026-01-01T10:00:00Z"), "s:20260101T100000Z");

        Decision missed = plan(s, at("2026-01-01T10:01:07.500Z"));
        assertThat(missed.fires()).as("every missed tick is older than the grace").isFalse();
        assertThat(missed.handledTickMs()).isEqualTo(at("2026-01-01T10:01:00Z"));
        assertThat(missed.wakeAtMs()).isEqualTo(at("2026-01-01T10:01:10Z"));
        assertThat(missed.late()).isTrue();

        Decision latestOnTime = plan(s, at("2026-01-01T10:01:00.900Z"));
        assertThat(latestOnTime.fireTickMs())
                .as("the latest tick is 0.9 s old: on time; the five before it are skipped")
                .isEqualTo(at("2026-01-01T10:01:00Z"));
        assertThat(latestOnTime.late()).isTrue();
    }

    @Test
    void ticksMissed_fireOnce_firesOneTaskForAllOfThem_namedAfterTheLatest() {
        Schedule s =
                every2s(Schedule.Misfire.FIRE_ONCE, null)
                        .handled(at("2026-01-01T10:00:02Z"), "s:20260101T100002Z");

        Decision d = plan(s, at("2026-01-01T11:00:07.500Z"));

        assertThat(d.fireTickMs()).isEqualTo(at("2026-01-01T11:00:06Z"));
        assertThat(d.handledTickMs()).isEqualTo(d.fireTickMs());
        assertThat(d.late()).isTrue();
        Decision next = plan(s.handled(d.handledTickMs(), "x"), at("2026-01-01T11:00:07.600Z"));
        assertThat(next.writes()).as("one task for the whole gap").isFalse();
    }

    @Test
    void pausedSchedule_firesNothing_andNeedsNoWakeUp() {
        Decision d = plan(every2s(null, null).withPaused(true), at("2026-01-01T10:05:00Z"));

        assertThat(d).isEqualTo(Decision.NOTHING);
    }

    @Test
    void overlapSkip_asksWhetherTheLastTaskEnded_unlessItIsKnownToHave_allowNeverAsks() {
        Schedule skip =
                every2s(null, Schedule.Overlap.SKIP)
                        .handled(at("2026-01-01T10:00:02Z"), "s:20260101T100002Z");
        Schedule allow =
                every2s(null, Schedule.Overlap.ALLOW)
                        .handled(at("2026-01-01T10:00:02Z"), "s:20260101T100002Z");
        Decision d = plan(skip, at("2026-01-01T10:00:04.010Z"));

        assertThat(SchedulePlanner.needsOverlapCheck(skip, d, null)).isTrue();
        assertThat(SchedulePlanner.needsOverlapCheck(skip, d, "s:20260101T100002Z")).isFalse();
        assertThat(SchedulePlanner.needsOverlapCheck(allow, plan(allow, d.fireTickMs()), null))
                .isFalse();
        assertThat(SchedulePlanner.needsOverlapCheck(every2s(null, null), d, null))
                .as("nothing fired before: nothing to overlap")
                .isFalse();
        Decision skipped = d.skipped();
        assertThat(skipped.fires()).isFalse();
        assertThat(skipped.handledTickMs()).isEqualTo(at("2026-01-01T10:00:04Z"));
    }

    @Test
    void daylightSaving_aTimeThatDoesNotExistSkipsTheDay_aRepeatedHourFiresTwice() {
        Schedule daily =
                Schedule.define(
                                "d",
                                "0 30 2 * * *",
                                "Europe/Paris",
                                TaskSpec.builder("t").build(),
                                null,
                                null)
                        .created(at("2026-03-27T12:00:00Z"));
        List<Long> ticks = fired(daily, 4);
        assertThat(ticks)
                .containsExactly(
                        at("2026-03-28T01:30:00Z"), // 02:30 CET
                        at("2026-03-30T00:30:00Z"), // 29 March has no 02:30: clocks jump
                        // 02:00→03:00
                        at("2026-03-31T00:30:00Z"),
                        at("2026-04-01T00:30:00Z"));

        Schedule hourly =
                Schedule.define(
                                "h",
                                "0 0 * * * *",
                                "Europe/Paris",
                                TaskSpec.builder("t").build(),
                                null,
                                null)
                        .created(at("2026-10-24T23:30:00Z"));
        assertThat(fired(hourly, 3))
                .as("02:00 CEST and 02:00 CET are two instants an hour apart")
                .containsExactly(
                        at("2026-10-25T00:00:00Z"),
                        at("2026-10-25T01:00:00Z"),
                        at("2026-10-25T02:00:00Z"));
    }

    /** Runs the planner as a punctual leader would: at each tick it asks to wake up for. */
    private static List<Long> fired(Schedule s, int n) {
        List<Long> out = new ArrayList<>();
        long now = s.sinceMs();
        while (out.size() < n) {
            Decision d = plan(s, now);
            if (d.fires()) {
                out.add(d.fireTickMs());
                s = s.handled(d.handledTickMs(), Schedule.taskIdFor(s.id(), d.fireTickMs()));
            }
            now = d.wakeAtMs();
        }
        return out;
    }

    @Test
    void badCron_isAClearErrorNamingCron() {
        assertThatThrownBy(() -> Cron.parse("0 0 2 * *", "UTC"))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class, e -> assertThat(e.field()).isEqualTo("cron"))
                .hasMessageStartingWith("cron: \"0 0 2 * *\" is not a cron expression")
                .hasMessageContaining("contains 5 parts");
    }
}
