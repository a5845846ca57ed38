package io.drover.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.it.chaos.HistoryChecker.Event;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker must catch each kind of violation, or a clean chaos run proves nothing. */
class HistoryCheckerTest {
    private static TaskStatus status(String id, TaskState state, int attempt, long finishedAtMs) {
        TaskStatus pending =
                TaskStatus.pending(
                        TaskSpec.builder("noop")
                                .id(id)
                                .maxAttempts(2)
                                .build()
                                .withSubmittedAtMs(1));
        TaskStatus s = pending.requeued(attempt, null, 0).assigned("w1", 1, 5).running(6);
        return state.isTerminal() ? s.finished(state, 100, null, null, finishedAtMs) : s;
    }

    private static Event started(String id, int attempt, long token, long at) {
        return new Event(at, "w" + attempt, "STARTED", id, attempt, token, null);
    }

    private static Event committed(String id, int attempt, long token, long at, String state) {
        return new Event(at, "w" + attempt, "COMMITTED", id, attempt, token, state);
    }

    @Test
    void crashAndRetry_withTheStaleCommitRejected_isClean() {
        List<Event> history =
                List.of(
                        started("t", 1, 10, 100),
                        started("t", 2, 20, 300),
                        new Event(350, "w1", "REJECTED", "t", 1, 10, "SUCCEEDED"),
                        committed("t", 2, 20, 400, "SUCCEEDED"));
        HistoryChecker.Report r =
                HistoryChecker.check(
                        Set.of("t"),
                        Map.of("t", status("t", TaskState.SUCCEEDED, 2, 400)),
                        Map.of("t", 25L),
                        Map.of("t", 1),
                        history,
                        0);
        assertThat(r.clean()).as(r.toString()).isTrue();
        assertThat(r.rejectedCommits()).isEqualTo(1);
    }

    @Test
    void aLateCommitReply_isNoOverlap_whenZooKeeperOrderedTheAttempts() {
        // Attempt 1's retry commit is recorded late (its reply came after a reconnect), after
        // attempt 2 had started elsewhere.
        List<Event> history =
                List.of(
                        started("t", 1, 10, 100),
                        started("t", 2, 20, 300),
                        committed("t", 2, 20, 400, "SUCCEEDED"),
                        committed("t", 1, 10, 1_900, "PENDING"));
        HistoryChecker.Report r =
                HistoryChecker.check(
                        Set.of("t"),
                        Map.of("t", status("t", TaskState.SUCCEEDED, 2, 400)),
                        Map.of("t", 25L),
                        Map.of("t", 1),
                        history,
                        0);
        assertThat(r.overlappingAcceptedCommits()).isEmpty();
    }

    @Test
    void aWorkerPausedBetweenClaimAndStart_startsLateByTheClock_butItsClaimCameFirst_noViolation() {
        // Claimed at zxid 10; paused; the leader ended the task at zxid 15 (wall clock 200); the
        // worker resumed at 5000.
        List<Event> history =
                List.of(
                        started("t", 1, 10, 5_000),
                        new Event(5_100, "w1", "REJECTED", "t", 1, 10, "SUCCEEDED"));
        HistoryChecker.Report r =
                HistoryChecker.check(
                        Set.of("t"),
                        Map.of("t", status("t", TaskState.CANCELLED, 1, 200)),
                        Map.of("t", 15L),
                        Map.of("t", 1),
                        history,
                        0);
        assertThat(r.runAfterTerminal()).isEmpty();
    }

    @Test
    void eachViolation_isReported() {
        List<Event> history =
                List.of(
                        started("double", 1, 10, 100),
                        committed("double", 1, 10, 200, "SUCCEEDED"),
                        started("double", 2, 20, 300),
                        committed("double", 2, 20, 400, "FAILED"),
                        started("late", 1, 30, 100),
                        committed("late", 1, 30, 200, "SUCCEEDED"),
                        started("late", 2, 40, 900),
                        started("overlap", 1, 50, 100),
                        started("overlap", 1, 60, 150),
                        committed("overlap", 1, 60, 200, "PENDING"),
                        committed("overlap", 1, 50, 250, "SUCCEEDED"),
                        started("witnessed", 1, 80, 100),
                        committed("witnessed", 1, 80, 200, "SUCCEEDED"),
                        started("over", 3, 70, 100));
        Map<String, TaskStatus> finals =
                Map.of(
                        "double", status("double", TaskState.FAILED, 2, 400),
                        "late", status("late", TaskState.SUCCEEDED, 1, 200),
                        "overlap", status("overlap", TaskState.SUCCEEDED, 2, 250),
                        "over", status("over", TaskState.SUCCEEDED, 2, 500),
                        "witnessed", status("witnessed", TaskState.SUCCEEDED, 1, 200),
                        "stuck", status("stuck", TaskState.RUNNING, 1, 0));

        Map<String, Integer> doneEntries =
                Map.of("double", 2, "late", 1, "overlap", 1, "over", 1, "witnessed", 2);
        Map<String, Long> endZxids =
                Map.of("double", 25L, "late", 35L, "overlap", 65L, "over", 75L, "witnessed", 85L);
        HistoryChecker.Report r =
                HistoryChecker.check(
                        List.of("double", "late", "overlap", "over", "stuck", "gone", "witnessed"),
                        finals,
                        endZxids,
                        doneEntries,
                        history,
                        0);

        assertThat(r.lost()).containsExactly("gone");
        assertThat(r.notTerminal()).containsExactly("stuck (RUNNING)");
        assertThat(r.doubleCommits())
                .hasSize(2)
                .anySatisfy(d -> assertThat(d).startsWith("double"))
                .anySatisfy(
                        d ->
                                assertThat(d)
                                        .as("a second terminal write only ZooKeeper saw")
                                        .startsWith("witnessed"));
        assertThat(r.runAfterTerminal()).singleElement().asString().startsWith("late");
        assertThat(r.overlappingAcceptedCommits()).singleElement().asString().startsWith("overlap");
        assertThat(r.attemptsOverMax())
                .singleElement()
                .asString()
                .startsWith("over (attempt 3 of 2)");
        assertThat(r.clean()).isFalse();
    }
}
