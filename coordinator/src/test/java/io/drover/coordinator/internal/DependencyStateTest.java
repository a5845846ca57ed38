package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.internal.DependencyState.Decision;
import io.drover.model.TaskState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyStateTest {
    private final DependencyState state = new DependencyState();

    @Test
    void aTaskWithoutDependencies_isReleasedAtOnce() {
        DependencyState.Added added = state.add("root", List.of(), false);

        assertThat(added.decision()).isEqualTo(Decision.release("root"));
        assertThat(added.unknown()).isEmpty();
        assertThat(state.follows("root")).isFalse();
    }

    @Test
    void aDependentIsReleased_onlyWhenItsLastDependencySucceeds() {
        state.add("join", List.of("a", "b"), false);

        assertThat(state.ended("a", TaskState.SUCCEEDED)).isEmpty();
        assertThat(state.openCount("join")).isEqualTo(1);
        assertThat(state.ended("b", TaskState.SUCCEEDED)).containsExactly(Decision.release("join"));
        assertThat(state.follows("join")).isFalse();
        assertThat(state.open()).isEmpty();
    }

    @Test
    void aFailedDependency_cancelsTheDependentAtOnce_namingIt() {
        state.add("report", List.of("extract-7", "extract-8"), false);

        List<Decision> decisions = state.ended("extract-7", TaskState.FAILED);

        assertThat(decisions)
                .containsExactly(Decision.cancel("report", "dependency extract-7 FAILED"));
        assertThat(state.follows("report")).isFalse();
        // the other dependency no longer has anyone waiting for it
        assertThat(state.open()).isEmpty();
        assertThat(state.ended("extract-8", TaskState.SUCCEEDED)).isEmpty();
    }

    @Test
    void aCancelledOrVanishedDependency_cancelsTheDependentToo() {
        state.add("x", List.of("a"), false);
        state.add("y", List.of("b"), false);

        assertThat(state.ended("a", TaskState.CANCELLED))
                .containsExactly(Decision.cancel("x", "dependency a CANCELLED"));
        assertThat(state.ended("b", null))
                .containsExactly(Decision.cancel("y", "dependency b no longer exists"));
    }

    @Test
    void aDependentThatRunsAnyway_waitsForEveryDependencyToEnd_thenIsReleased() {
        state.add("cleanup", List.of("a", "b"), true);

        assertThat(state.ended("a", TaskState.FAILED)).isEmpty();
        assertThat(state.follows("cleanup")).isTrue();
        assertThat(state.ended("b", TaskState.CANCELLED))
                .containsExactly(Decision.release("cleanup"));
    }

    @Test
    void aRetry_isNoEnd_theDependentKeepsWaiting() {
        state.add("b", List.of("a"), false);

        assertThat(state.ended("a", TaskState.PENDING)).isEmpty();
        assertThat(state.ended("a", TaskState.RUNNING)).isEmpty();
        assertThat(state.openCount("b")).isEqualTo(1);
        assertThat(state.ended("a", TaskState.SUCCEEDED)).containsExactly(Decision.release("b"));
    }

    @Test
    void aDependencyIsUnknown_onlyToTheFirstWaiter_soItsStateIsLearntOnce() {
        assertThat(state.add("leaf-1", List.of("root"), false).unknown()).containsExactly("root");
        assertThat(state.add("leaf-2", List.of("root"), false).unknown()).isEmpty();
        assertThat(state.add("other", List.of("root", "x"), false).unknown()).containsExactly("x");

        assertThat(state.ended("root", TaskState.SUCCEEDED))
                .containsExactlyInAnyOrder(Decision.release("leaf-1"), Decision.release("leaf-2"));
        assertThat(state.openCount("other")).isEqualTo(1);
    }

    @Test
    void aThousandFoldFanIn_countsDown_andReleasesOnTheLastEnd() {
        List<String> parents = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            parents.add("p-" + i);
        }
        assertThat(state.add("join", parents, false).unknown()).hasSize(1_000);

        for (int i = 0; i < 999; i++) {
            assertThat(state.ended("p-" + i, TaskState.SUCCEEDED)).isEmpty();
        }
        assertThat(state.openCount("join")).isEqualTo(1);
        assertThat(state.ended("p-999", TaskState.SUCCEEDED))
                .containsExactly(Decision.release("join"));
    }

    @Test
    void anEndHeardTwice_decidesOnce() {
        state.add("b", List.of("a"), false);

        assertThat(state.ended("a", TaskState.SUCCEEDED)).hasSize(1);
        assertThat(state.ended("a", TaskState.SUCCEEDED)).isEmpty();
    }

    @Test
    void retentionKeepsEveryDependencyAWaiterNames_evenEndedOnes_untilItIsDecided() {
        state.add("join", List.of("a", "b"), false);
        state.ended("a", TaskState.SUCCEEDED);

        assertThat(state.named("a")).isTrue();
        assertThat(state.named("b")).isTrue();
        state.ended("b", TaskState.SUCCEEDED);
        assertThat(state.named("a")).isFalse();
        assertThat(state.named("b")).isFalse();
    }

    @Test
    void aForgottenWaiter_isNoLongerDecided_andAddingItAgainStartsOver() {
        state.add("b", List.of("a"), false);
        state.forget("b");

        assertThat(state.ended("a", TaskState.SUCCEEDED)).isEmpty();
        assertThat(state.add("b", List.of("a"), false).unknown()).containsExactly("a");
        assertThat(state.size()).isEqualTo(1);
    }

    @Test
    void aChain_cascades_whenTheRunnerReportsTheCancelledDependentAsEnded() {
        state.add("b", List.of("a"), false);
        state.add("c", List.of("b"), false);

        List<Decision> first = state.ended("a", TaskState.FAILED);
        assertThat(first).containsExactly(Decision.cancel("b", "dependency a FAILED"));
        // the runner writes b CANCELLED, then reports that end like any other
        assertThat(state.ended("b", TaskState.CANCELLED))
                .containsExactly(Decision.cancel("c", "dependency b CANCELLED"));
    }
}
