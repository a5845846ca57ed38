package io.drover.model;

import static io.drover.model.JsonFormatFixtureTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.protocol.Znodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The schedule record's wire format (fixtures {@code schedule.json} and {@code
 * schedule-from-the-future.json}): what version 1 looks like, that the codec validates it, and that
 * a newer writer's fields survive every rewrite, the API's and the leader's.
 */
class ScheduleFormatTest {
    private static JsonNode json(Object record) throws IOException {
        return DroverJson.mapper().readTree(DroverJson.encode(record));
    }

    @Test
    void fixture_decodesToTheDocumentedValues_andEncodesBackToTheSameJson() throws IOException {
        byte[] bytes = fixture("schedule.json");
        Schedule s = Znodes.schedule("/drover/c/schedules/nightly-report", bytes);

        assertThat(s.cron()).isEqualTo("0 0 2 * * *");
        assertThat(s.parsedCron().zoneId().getId()).isEqualTo("Europe/Paris");
        assertThat(s.misfire()).isEqualTo(Schedule.Misfire.FIRE_ONCE);
        assertThat(s.overlap()).isEqualTo(Schedule.Overlap.SKIP);
        assertThat(s.revision()).isEqualTo(3);
        assertThat(s.task().type()).isEqualTo("report");
        assertThat(s.task().timeoutMs()).isEqualTo(600_000);
        assertThat(s.lastTaskId())
                .isEqualTo(Schedule.taskIdFor("nightly-report", s.lastFiredTickMs()))
                .isEqualTo("nightly-report:20251125T010000Z");
        assertThat(json(s)).isEqualTo(DroverJson.mapper().readTree(bytes));
    }

    @Test
    void newerRecord_keepsItsFieldsAndVersion_throughTheApisAndTheLeadersRewrites()
            throws IOException {
        Schedule stored =
                Znodes.schedule(
                        "/drover/c/schedules/nightly-report",
                        fixture("schedule-from-the-future.json"));
        Schedule redefined =
                stored.redefinedAs(
                        Schedule.define(
                                "nightly-report",
                                "0 0 3 * * *",
                                "UTC",
                                TaskSpec.builder("report").build(),
                                null,
                                null),
                        1_800_000_000_000L);
        Schedule fired = redefined.handled(1_800_003_600_000L, "nightly-report:x");

        for (Schedule rewritten : new Schedule[] {redefined, fired, fired.withPaused(true)}) {
            JsonNode out = json(rewritten);
            assertThat(out.get("v").asInt()).isEqualTo(2);
            assertThat(out.get("calendar").asText()).isEqualTo("holidays-fr");
            assertThat(out.get("jitter").get("maxMs").asLong()).isEqualTo(30_000);
        }
        assertThat(redefined.revision()).isEqualTo(2);
        assertThat(redefined.sinceMs())
                .as("a new cron fires after now")
                .isEqualTo(1_800_000_000_000L);
        assertThat(json(stored.taskFor(1_800_000_000_000L)).get("deadlineMs").asLong())
                .as("the template's newer fields reach the tasks it fires")
                .isEqualTo(3_600_000);
    }

    @Test
    void olderWriter_withoutPolicies_readsWithTheDefaults() {
        String older =
                "{\"v\":1,\"id\":\"s\",\"cron\":\"@hourly\",\"task\":{\"v\":1,\"id\":\"s\","
                        + "\"type\":\"t\"}}";
        Schedule s = Znodes.schedule("/d/schedules/s", older.getBytes(StandardCharsets.UTF_8));

        assertThat(s.misfire()).isEqualTo(Schedule.Misfire.SKIP);
        assertThat(s.overlap()).isEqualTo(Schedule.Overlap.SKIP);
        assertThat(s.parsedCron().zoneId().getId()).isEqualTo("Z");
    }

    @Test
    void corruptRecords_areTypedErrorsNamingThePathAndTheProblem() {
        String badCron =
                "{\"v\":1,\"id\":\"s\",\"cron\":\"0 0 2 * *\",\"task\":{\"v\":1,\"id\":\"s\","
                        + "\"type\":\"t\"}}";
        assertThatThrownBy(
                        () ->
                                Znodes.schedule(
                                        "/d/schedules/s", badCron.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptZnodeException.class)
                .hasMessageContaining("/d/schedules/s")
                .hasMessageContaining("cron");
        assertThatThrownBy(
                        () ->
                                Znodes.schedule(
                                        "/d/schedules/other",
                                        badCron.replace("0 0 2 * *", "@daily")
                                                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptZnodeException.class)
                .hasMessageContaining("node is \"other\"");
        assertThatThrownBy(
                        () ->
                                Znodes.schedule(
                                        "/d/schedules/s",
                                        "{\"v\":1,\"id\":\"s\",\"cron\":\"@daily\"}"
                                                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CorruptZnodeException.class)
                .hasMessageContaining("task");
    }
}
