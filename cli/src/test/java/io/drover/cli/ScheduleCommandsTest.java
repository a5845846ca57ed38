package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.cli.CliTest.Result;
import io.drover.cli.client.ExitCodes;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code drover schedules} and {@code drover schedule put|get|pause|resume|delete} against a real
 * coordinator server and its leader, as an operator would use them, the README's lines included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduleCommandsTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private ServerHarness server;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "cli-schedules");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", server.url()));
        return drover(all.toArray(String[]::new));
    }

    private static JsonNode json(Result r) {
        return DroverJson.parsePayload(r.out().strip());
    }

    @Test
    void readmeScheduleLines_runAsWritten() throws Exception {
        List<String> lines = readmeLines("drover schedule");
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            Result r = run(words(line));
            assertThat(r.code()).as(line + "\n" + r.err()).isZero();
        }
        JsonNode s = json(run("schedule", "get", "nightly-report", "-o", "json"));
        assertThat(s.get("cron").asText()).isEqualTo("0 0 2 * * *");
        assertThat(s.get("zone").asText()).isEqualTo("Europe/Paris");
        assertThat(s.get("misfire").asText()).isEqualTo("FIRE_ONCE");
        assertThat(s.get("task").get("payload").get("day").asText()).isEqualTo("yesterday");
        assertThat(s.get("paused").asBoolean()).isTrue();
        assertThat(run("schedule", "delete", "nightly-report").code()).isZero();
    }

    @Test
    void putListGetPauseResumeDelete_asAnOperatorWould() {
        Result put =
                run(
                        "schedule",
                        "put",
                        "reports",
                        "--cron",
                        "0 30 6 * * MON-FRI",
                        "--zone",
                        "America/New_York",
                        "--type",
                        "report",
                        "--label",
                        "zone=us-1",
                        "--overlap",
                        "allow");
        assertThat(put.code()).as(put.err()).isZero();
        assertThat(put.out()).startsWith("reports defined").contains("overlap:        ALLOW");

        List<String> table = run("schedules").out().lines().toList();
        assertThat(table.get(0))
                .matches("ID +CRON +ZONE +PAUSED +NEXT TICK +LAST FIRED TICK +LAST TASK");
        assertThat(table)
                .anyMatch(
                        l ->
                                l.matches(
                                        "reports +0 30 6 \\* \\* MON-FRI +America/New_York +no"
                                                + " +\\d{4}-\\d\\d-\\d\\dT06:30:00-0[45]:00 +- +-"));

        Result paused = run("schedule", "pause", "reports");
        assertThat(paused.out()).startsWith("reports paused").contains("nextTick:       -");
        assertThat(run("schedule", "resume", "reports").out()).contains("paused:         no");
        Result get = run("schedule", "get", "reports");
        assertThat(get.out()).contains("labels:         zone=us-1").contains("revision:       3");

        assertThat(run("schedule", "delete", "reports").out())
                .startsWith("deleted schedule reports");
        Result gone = run("schedule", "get", "reports");
        assertThat(gone.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(gone.err()).contains("no schedule with id reports");
    }

    @Test
    void badCronOrZone_isBadInputNamingTheField_inOneLine() {
        Result cron = run("schedule", "put", "x", "--cron", "0 0 2 * *", "--type", "t");
        assertThat(cron.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(cron.err()).contains("cron:").contains("6 fields").doesNotContain("\tat ");
        assertThat(cron.err().strip().lines().count()).isEqualTo(1);

        Result zone =
                run("schedule", "put", "x", "--cron", "@daily", "--zone", "Paris", "--type", "t");
        assertThat(zone.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(zone.err()).contains("zone:");
        assertThat(run("schedule", "put", "x", "--type", "t").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void everySecondSchedule_showsTheTaskItFiredLast() {
        Result put =
                run(
                        "schedule",
                        "put",
                        "tick",
                        "--cron",
                        "* * * * * *",
                        "--type",
                        "noop",
                        "--overlap",
                        "allow");
        assertThat(put.code()).as(put.err()).isZero();

        String lastTask =
                Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(200))
                        .until(
                                () ->
                                        json(run("schedule", "get", "tick", "-o", "json"))
                                                .path("lastTaskId")
                                                .asText(""),
                                id -> id.startsWith("tick:"));
        assertThat(run("schedule", "delete", "tick").code()).isZero();
        Result task = run("task", lastTask, "-o", "json");
        assertThat(task.code()).as(task.err()).isZero();
        assertThat(json(task).get("type").asText()).isEqualTo("noop");
    }

    /** The README's lines that start with {@code prefix}, comments cut off. */
    static List<String> readmeLines(String prefix) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
            if (line.startsWith(prefix)) {
                int comment = line.indexOf("  #");
                out.add((comment < 0 ? line : line.substring(0, comment)).strip());
            }
        }
        return out;
    }

    /** A shell line's words after {@code drover}. */
    static String[] words(String line) {
        List<String> words = CliTest.shellWords(line);
        return words.subList(1, words.size()).toArray(String[]::new);
    }
}
