package io.drover.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.drover.protocol.Znodes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The attempt history's rules: what each status transition records, the bound, the clipping, and
 * that a bad history never makes a status unreadable.
 */
class AttemptHistoryTest {
    private final TaskSpec spec =
            TaskSpec.builder("resize").id("t1").maxAttempts(3).build().withSubmittedAtMs(1_000);
    private final TaskStatus pending = TaskStatus.pending(spec);

    /** A worker's claim of the current attempt, at {@code t}, told its token. */
    private static TaskStatus claimed(TaskStatus s, String worker, long t, long token) {
        return s.assigned(worker, 1, t).running(t + 1).withAttemptToken(token);
    }

    @Test
    void claim_appendsARunningAttempt_whoseTokenIsLearntAfterwards() {
        TaskStatus written = pending.assigned("w1", 1, 10).running(11);
        TaskStatus known = written.withAttemptToken(77);

        assertThat(written.attempts())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.attempt()).isEqualTo(1);
                            assertThat(a.series()).isEqualTo(1);
                            assertThat(a.workerId()).isEqualTo("w1");
                            assertThat(a.startedAtMs()).isEqualTo(11);
                            assertThat(a.outcome()).isEqualTo("RUNNING");
                            assertThat(a.fencingToken()).as("unknown to the claim itself").isZero();
                        });
        assertThat(known.attempts().get(0).fencingToken()).isEqualTo(77);
        assertThat(known.withAttemptToken(99).attempts().get(0).fencingToken())
                .as("a token once known stays")
                .isEqualTo(77);
    }

    @Test
    void failTwiceThenSucceed_threeAttemptsWithOutcomesWorkersAndTokens() {
        TaskStatus s = claimed(pending, "w1", 10, 101);
        s = s.attemptEnded(TaskAttempt.Outcome.FAILED, "boom 1", 101, 20).requeued(2, "boom 1", 0);
        s = claimed(s, "w2", 30, 202);
        s = s.attemptEnded(TaskAttempt.Outcome.FAILED, "boom 2", 202, 40).requeued(3, "boom 2", 0);
        s = claimed(s, "w1", 50, 303);
        s =
                s.attemptEnded(TaskAttempt.Outcome.SUCCEEDED, null, 303, 60)
                        .finished(TaskState.SUCCEEDED, 303, null, null, 60);

        assertThat(s.attempts())
                .extracting(
                        TaskAttempt::attempt,
                        TaskAttempt::workerId,
                        TaskAttempt::outcome,
                        TaskAttempt::error,
                        TaskAttempt::fencingToken,
                        TaskAttempt::endedAtMs)
                .containsExactly(
                        tuple(1, "w1", "FAILED", "boom 1", 101L, 20L),
                        tuple(2, "w2", "FAILED", "boom 2", 202L, 40L),
                        tuple(3, "w1", "SUCCEEDED", null, 303L, 60L));
    }

    @Test
    void handBack_isRecorded_andTheNextClaimIsTheSameAttemptNumberAgain() {
        TaskStatus s = claimed(pending, "w1", 10, 101);
        s =
                s.attemptEnded(TaskAttempt.Outcome.HANDED_BACK, null, 101, 20)
                        .requeued(1, "handed back by worker w1", 0);
        s = claimed(s, "w2", 30, 202);

        assertThat(s.attempts())
                .extracting(TaskAttempt::attempt, TaskAttempt::workerId, TaskAttempt::outcome)
                .containsExactly(tuple(1, "w1", "HANDED_BACK"), tuple(1, "w2", "RUNNING"));
    }

    @Test
    void lostAttempt_closedByTheLeader_keepsItsStartAndGetsTheTokenGiven() {
        TaskStatus running = pending.assigned("w1", 1, 10).running(11);

        TaskStatus lost =
                running.attemptEnded(
                        TaskAttempt.Outcome.LOST, "worker w1 lost during attempt 1", 555, 90);

        assertThat(lost.attempts())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.outcome()).isEqualTo("LOST");
                            assertThat(a.startedAtMs()).isEqualTo(11);
                            assertThat(a.endedAtMs()).isEqualTo(90);
                            assertThat(a.fencingToken()).isEqualTo(555);
                            assertThat(a.error()).isEqualTo("worker w1 lost during attempt 1");
                        });
    }

    @Test
    void anAttemptNobodyRecorded_isAddedWhenItEnds() throws Exception {
        // Claimed by a worker from before the history: its RUNNING status has no entry.
        TaskStatus olderRunning =
                DroverJson.decode(
                        "/f",
                        JsonFormatFixtureTest.fixture("task-status-running.json"),
                        TaskStatus.class);

        TaskStatus lost = olderRunning.attemptEnded(TaskAttempt.Outcome.LOST, "gone", 0, 90);

        assertThat(olderRunning.attempts()).isEmpty();
        assertThat(lost.attempts())
                .extracting(
                        TaskAttempt::attempt,
                        TaskAttempt::workerId,
                        TaskAttempt::startedAtMs,
                        TaskAttempt::outcome)
                .containsExactly(tuple(2, "worker-7", 1763870400105L, "LOST"));
    }

    @Test
    void history_keepsTheLastSixteen() {
        TaskSpec many = TaskSpec.builder("resize").id("t2").maxAttempts(20).build();
        TaskStatus s = TaskStatus.pending(many);
        for (int n = 1; n <= 20; n++) {
            s = claimed(s, "w" + n, n * 10L, n);
            s =
                    n < 20
                            ? s.attemptEnded(TaskAttempt.Outcome.FAILED, "x", n, n * 10L + 5)
                                    .requeued(n + 1, "x", 0)
                            : s.attemptEnded(TaskAttempt.Outcome.FAILED, "x", n, n * 10L + 5)
                                    .finished(TaskState.FAILED, n, null, "x", n * 10L + 5);
        }

        assertThat(s.attempts()).hasSize(AttemptHistory.MAX_KEPT).hasSize(16);
        assertThat(s.attempts().get(0).attempt()).isEqualTo(5);
        assertThat(s.attempts().get(15).attempt()).isEqualTo(20);
    }

    @Test
    void longErrors_areClippedPerAttempt() {
        String huge = "e".repeat(5_000);
        TaskStatus s =
                claimed(pending, "w1", 10, 1).attemptEnded(TaskAttempt.Outcome.FAILED, huge, 1, 20);

        assertThat(s.attempts().get(0).error())
                .hasSize(TaskAttempt.MAX_ERROR_CHARS)
                .endsWith("...");
    }

    @Test
    void rerun_startsSeriesTwoAtAttemptOne_keepingTheHistory() {
        TaskStatus failed =
                claimed(pending, "w1", 10, 101)
                        .attemptEnded(TaskAttempt.Outcome.FAILED, "boom", 101, 20)
                        .finished(TaskState.FAILED, 101, null, "boom", 20);

        TaskStatus again = failed.rerun();
        TaskStatus running = claimed(again, "w2", 30, 202);

        assertThat(again.state()).isEqualTo(TaskState.PENDING);
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(again.series()).isEqualTo(2);
        assertThat(again.error()).isNull();
        assertThat(again.finishedAtMs()).isZero();
        assertThat(again.fencingToken()).as("tokens only grow").isEqualTo(101);
        assertThat(running.attempts())
                .extracting(TaskAttempt::series, TaskAttempt::attempt, TaskAttempt::outcome)
                .containsExactly(tuple(1, 1, "FAILED"), tuple(2, 1, "RUNNING"));
        assertThat(
                        again.assigned("w2", 1, 1)
                                .finished(TaskState.CANCELLED, 0, null, "cancelled", 2)
                                .rerun()
                                .series())
                .isEqualTo(3);
        assertThatThrownBy(() -> failed.rerun().rerun()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sixteenAttemptsWithTheLongestErrors_keepTheStatusSmall() {
        TaskSpec many = TaskSpec.builder("resize").id("t".repeat(128)).maxAttempts(16).build();
        String worker = "w".repeat(128);
        // The worst case for JSON: control characters, each written as a six-byte escape.
        String escaped = "\u0001".repeat(10_000);
        String plain = "x".repeat(10_000);
        TaskStatus worst = TaskStatus.pending(many);
        TaskStatus typical = TaskStatus.pending(many);
        for (int n = 1; n <= 16; n++) {
            worst = claimed(worst, worker, Long.MAX_VALUE / 4, Long.MAX_VALUE / 2);
            worst =
                    worst.attemptEnded(
                                    TaskAttempt.Outcome.FAILED,
                                    escaped,
                                    Long.MAX_VALUE / 2,
                                    Long.MAX_VALUE / 4)
                            .requeued(Math.min(16, n + 1), escaped.substring(0, 2_000), 0);
            typical = claimed(typical, worker, 1_763_870_400_000L, 4_294_967_391L);
            typical =
                    typical.attemptEnded(
                                    TaskAttempt.Outcome.FAILED,
                                    plain,
                                    4_294_967_391L,
                                    1_763_870_400_900L)
                            .requeued(Math.min(16, n + 1), plain.substring(0, 2_000), 0);
        }
        int worstBytes = DroverJson.encode(worst).length;
        int typicalBytes = DroverJson.encode(typical).length;
        System.out.printf(
                "status with 16 attempts: %d bytes with the longest plain errors, %d bytes at"
                        + " worst (escaped errors, 128-character ids)%n",
                typicalBytes, worstBytes);

        assertThat(worst.attempts()).hasSize(16);
        assertThat(typicalBytes).isLessThan(12 * 1024);
        assertThat(worstBytes)
                .as("well under the worker's 256 KiB cap on a status and ZooKeeper's 1 MB")
                .isLessThan(48 * 1024);
    }

    @Test
    void aBadHistory_neverMakesTheStatusUnreadable_badEntriesAreDropped() {
        String path = new DroverPaths("c").status("t1");
        String base =
                "{\"v\":1,\"taskId\":\"t1\",\"type\":\"resize\",\"state\":\"FAILED\","
                        + "\"attempt\":1,\"maxAttempts\":3,\"submittedAtMs\":1000,";
        String good =
                "{\"attempt\":1,\"series\":1,\"workerId\":\"w1\",\"startedAtMs\":5,"
                        + "\"outcome\":\"FAILED\",\"error\":\""
                        + "e".repeat(1_000)
                        + "\"}";

        TaskStatus notAList = decode(path, base + "\"attempts\":\"oops\"}");
        TaskStatus mixed =
                decode(
                        path,
                        base
                                + "\"attempts\":[1,\"x\",null,{\"attempt\":\"many\"},"
                                + "{\"attempt\":0,\"series\":1,\"workerId\":\"w1\",\"outcome\":\"LOST\"},"
                                + "{\"attempt\":1,\"series\":1,\"workerId\":\"../etc\",\"outcome\":\"LOST\"},"
                                + "{\"attempt\":1,\"series\":1,\"workerId\":\"w1\",\"outcome\":\"lost!\"},"
                                + "{\"attempt\":1,\"series\":1,\"workerId\":\"w1\",\"outcome\":\"LOST\","
                                + "\"startedAtMs\":-4},"
                                + good
                                + "]}");
        StringBuilder twenty = new StringBuilder(base + "\"attempts\":[");
        for (int n = 1; n <= 20; n++) {
            twenty.append(n > 1 ? "," : "")
                    .append("{\"attempt\":")
                    .append(n)
                    .append(",\"series\":1,\"workerId\":\"w1\",\"outcome\":\"FAILED\"}");
        }
        TaskStatus tooMany = decode(path, twenty + "]}");

        assertThat(notAList.attempts()).isEmpty();
        assertThat(mixed.attempts())
                .singleElement()
                .satisfies(a -> assertThat(a.error()).hasSize(TaskAttempt.MAX_ERROR_CHARS));
        assertThat(tooMany.attempts())
                .extracting(TaskAttempt::attempt)
                .containsExactly(5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
    }

    private static TaskStatus decode(String path, String json) {
        return Znodes.status(path, json.getBytes(StandardCharsets.UTF_8));
    }
}
