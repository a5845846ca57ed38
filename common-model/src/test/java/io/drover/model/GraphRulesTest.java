package io.drover.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphRulesTest {
    private static TaskSpec task(String id, String... after) {
        return TaskSpec.builder("step").id(id).dependsOn(after).build();
    }

    @Test
    void aPlan_keepsTheEdgesAsIndexes_andNamesTasksFromOutsideTheGraphApart() {
        GraphRecord g =
                GraphRules.plan(
                        "g",
                        List.of(task("a", "before"), task("b", "a", "before"), task("c", "b")),
                        "alice",
                        7);

        assertThat(g.state()).isEqualTo(GraphState.STAGING);
        assertThat(g.external()).containsExactly("before");
        assertThat(g.dependsOn()).containsExactly(List.of(3), List.of(0, 3), List.of(1));
        assertThat(g.dependenciesOf(1)).containsExactly("a", "before");
        assertThat(g.dependentsOf("a")).containsExactly("b");
        assertThat(g.dependentsOf("before")).containsExactly("a", "b");
        assertThat(g.submittedBy()).isEqualTo("alice");
    }

    @Test
    void aCycle_isRefused_namingEveryTaskOnIt() {
        assertThatThrownBy(
                        () ->
                                GraphRules.plan(
                                        "g",
                                        List.of(
                                                task("root"),
                                                task("x", "root", "z"),
                                                task("y", "x"),
                                                task("z", "y")),
                                        null,
                                        0))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class, e -> assertThat(e.field()).isEqualTo("tasks"))
                .hasMessageContaining("form a cycle: x -> z -> y -> x");
    }

    @Test
    void anIdTwice_isRefused_namingBothPlaces() {
        assertThatThrownBy(() -> GraphRules.plan("g", List.of(task("a"), task("a")), null, 0))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class,
                        e -> assertThat(e.field()).isEqualTo("tasks[1].id"))
                .hasMessageContaining("as tasks[0] does");
    }

    @Test
    void aTaskOfAnotherGraph_isRefused() {
        TaskSpec elsewhere = GraphRules.member(task("a"), "other");

        assertThatThrownBy(() -> GraphRules.plan("g", List.of(elsewhere), null, 0))
                .hasMessageContaining("tasks[0].graphId");
    }

    @Test
    void aChainOfTwentyThousand_isCheckedWithoutRecursion_andLayeredInOrder() {
        List<TaskSpec> chain = new ArrayList<>();
        chain.add(task("t0"));
        for (int i = 1; i < GraphRecord.MAX_TASKS; i++) {
            chain.add(task("t" + i, "t" + (i - 1)));
        }

        GraphRecord g = GraphRules.plan("g", chain, null, 0);

        List<List<Integer>> layers = GraphRules.layers(g);
        assertThat(layers).hasSize(GraphRecord.MAX_TASKS);
        assertThat(layers.get(0)).containsExactly(0);
        assertThat(layers.get(GraphRecord.MAX_TASKS - 1))
                .containsExactly(GraphRecord.MAX_TASKS - 1);
    }

    @Test
    void layers_putEveryTaskAfterEachOfItsDependencies() {
        GraphRecord g =
                GraphRules.plan(
                        "g",
                        List.of(
                                task("join", "l", "r"),
                                task("l", "root"),
                                task("r", "root"),
                                task("root")),
                        null,
                        0);

        assertThat(GraphRules.layers(g)).containsExactly(List.of(3), List.of(1, 2), List.of(0));
    }

    @Test
    void aGraphBeyondItsMaximum_orEmpty_isRefused() {
        assertThatThrownBy(() -> GraphRules.plan("g", List.of(), null, 0))
                .hasMessageContaining("must hold 1 to 20000 tasks");
    }
}
