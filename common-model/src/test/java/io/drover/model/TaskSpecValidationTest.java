package io.drover.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskSpecValidationTest {

    @ParameterizedTest(name = "id \"{0}\" is rejected")
    @ValueSource(
            strings = {
                "",
                "../etc/passwd",
                "a/b",
                ".hidden",
                "with space",
                "zk\u0000null",
                "ü-umlaut",
                "x123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
            })
    void unsafeIds_rejectedNamingTheField(String id) {
        assertThatThrownBy(() -> TaskSpec.builder("echo").id(id).build())
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageStartingWith("id:")
                .extracting(e -> ((InvalidTaskException) e).field())
                .isEqualTo("id");
    }

    @Test
    void priorityOutOfRange_rejected() {
        assertThatThrownBy(
                        () -> TaskSpec.builder("echo").priority(TaskSpec.MAX_PRIORITY + 1).build())
                .hasMessageStartingWith("priority:");
    }

    @Test
    void maxAttemptsZero_meansDefault_negativeRejected() {
        assertThat(TaskSpec.builder("echo").maxAttempts(0).build().maxAttempts())
                .isEqualTo(TaskSpec.DEFAULT_MAX_ATTEMPTS);
        assertThatThrownBy(() -> TaskSpec.builder("echo").maxAttempts(-1).build())
                .hasMessageStartingWith("maxAttempts:");
    }

    @Test
    void badLabel_rejectedNamingTheLabel() {
        assertThatThrownBy(() -> TaskSpec.builder("echo").requireLabel("zone", "eu/1").build())
                .hasMessageStartingWith("requiredLabels.zone:");
    }

    @Test
    void dependencyOnItself_orTwice_orTooMany_rejectedNamingDependsOn() {
        assertThatThrownBy(() -> TaskSpec.builder("echo").id("a").dependsOn("a").build())
                .hasMessageContaining("dependsOn")
                .hasMessageContaining("itself");
        assertThatThrownBy(() -> TaskSpec.builder("echo").dependsOn("b", "b").build())
                .hasMessageContaining("dependsOn")
                .hasMessageContaining("twice");
        String[] many = new String[TaskSpec.MAX_DEPENDS_ON + 1];
        java.util.Arrays.setAll(many, i -> "t" + i);
        assertThatThrownBy(() -> TaskSpec.builder("echo").dependsOn(many).build())
                .hasMessageContaining("dependsOn")
                .hasMessageContaining("at most " + TaskSpec.MAX_DEPENDS_ON);
        assertThatThrownBy(() -> TaskSpec.builder("echo").dependsOn("a/b").build())
                .hasMessageContaining("dependsOn");
    }

    @Test
    void broadcastWithDependencies_orABadGatherTime_rejectedNamingTheField() {
        Broadcast all = new Broadcast(null, 0);
        assertThat(all.success()).isEqualTo(Broadcast.Success.ALL);
        assertThat(all.gatherMs()).isEqualTo(Broadcast.DEFAULT_GATHER_MS);
        assertThatThrownBy(() -> TaskSpec.builder("echo").broadcast(all).dependsOn("x").build())
                .hasMessageContaining("broadcast");
        assertThatThrownBy(
                        () ->
                                TaskSpec.builder("echo")
                                        .broadcast(new Broadcast(Broadcast.Success.ANY, -1))
                                        .build())
                .hasMessageContaining("broadcast.gatherMs");
    }

    @Test
    void pendingKeys_sortByPriorityThenAge() {
        String urgentLate = PendingKey.of(10, 2_000, 0, "b");
        String normalEarly = PendingKey.of(0, 1_000, 0, "a");
        String normalLate = PendingKey.of(0, 2_000, 0, "c");
        String lowEarly = PendingKey.of(-5, 500, 0, "d");

        assertThat(
                        java.util.List.of(lowEarly, normalLate, urgentLate, normalEarly).stream()
                                .sorted())
                .containsExactly(urgentLate, normalEarly, normalLate, lowEarly);
        assertThat(PendingKey.taskIdOf(normalLate)).isEqualTo("c");
        assertThat(PendingKey.taskIdOf(PendingKey.of(0, 1, 17, "with-dashes-in-id")))
                .isEqualTo("with-dashes-in-id");
        // within one millisecond: the submitter's sequence, before the id; an older writer's key
        // (no sequence) first
        List<String> keys =
                List.of(
                        PendingKey.of(0, 5, 2, "a"),
                        PendingKey.of(0, 5, 1, "z"),
                        PendingKey.of(0, 5, 0, "m"),
                        PendingKey.of(0, 5, 10, "b"));
        assertThat(keys.stream().sorted().map(PendingKey::taskIdOf).toList())
                .containsExactly("m", "z", "a", "b");
        assertThat(PendingKey.taskIdOf(PendingKey.of(0, 1, 0, "with-dashes-in-id")))
                .isEqualTo("with-dashes-in-id");
    }
}
