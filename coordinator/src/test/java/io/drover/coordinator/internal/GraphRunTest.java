package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.GraphRecord;
import io.drover.model.GraphState;
import io.drover.model.TaskState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A graph followed to its end, transition by transition. The first story is the one a re-run met on
 * CI: the leader cancelled a dependent whose first read was answered just before, and the read's
 * older WAITING, handled after the cancel, was taken for a re-run, so the graph stayed RUNNING.
 */
class GraphRunTest {
    private static final Optional<TaskState> WAITING = Optional.of(TaskState.WAITING);
    private static final Optional<TaskState> FAILED = Optional.of(TaskState.FAILED);

    @Test
    void aDependentCancelledBeforeItsFirstReadIsHandled_theOlderReadDoesNotReopenIt() {
        GraphRun run = new GraphRun(List.of("a", "b"), 3);

        run.read("a", FAILED);
        run.observed("b", TaskState.CANCELLED); // its dependency failed: the leader cancelled it
        run.read("b", WAITING); // answered before the cancel, handled after it

        assertThat(run.end())
                .contains(new GraphRun.End(GraphState.FAILED, new GraphRecord.Counts(0, 1, 1, 0)));
    }

    @Test
    void endsOnlyOnceEveryTaskWasReadAndNoneIsOpen() {
        GraphRun run = new GraphRun(List.of("a", "b"), 0);

        run.observed("a", TaskState.SUCCEEDED);
        run.observed("b", TaskState.SUCCEEDED);
        assertThat(run.end()).as("a read is still out").isEmpty();
        run.read("a", Optional.of(TaskState.RUNNING));
        run.read("b", Optional.of(TaskState.SUCCEEDED));

        assertThat(run.end().orElseThrow().state()).isEqualTo(GraphState.SUCCEEDED);
    }

    @Test
    void aTaskRunAgainAfterItEnded_isOpenUntilItEndsAgain() {
        GraphRun run = new GraphRun(List.of("a"), 0);
        run.read("a", FAILED);

        run.observed("a", TaskState.PENDING);
        assertThat(run.end()).isEmpty();
        run.observed("a", TaskState.SUCCEEDED);

        assertThat(run.end().orElseThrow().state()).isEqualTo(GraphState.SUCCEEDED);
    }

    @Test
    void anUnreadableTask_staysOpenUntilObserved_andADeletedOneDecidesNothing() {
        GraphRun run = new GraphRun(List.of("a", "b", "c"), 0);

        run.read("a", null); // its status did not decode
        run.read("b", Optional.empty()); // deleted by retention
        run.read("c", Optional.of(TaskState.CANCELLED));
        assertThat(run.end()).isEmpty();
        run.observed("a", TaskState.SUCCEEDED);

        assertThat(run.end())
                .contains(
                        new GraphRun.End(GraphState.CANCELLED, new GraphRecord.Counts(1, 0, 1, 1)));
    }
}
