package io.drover.model;

import static io.drover.model.JsonFormatFixtureTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Mixed versions during a rolling upgrade: a record a newer Drover wrote keeps its newer fields and
 * format version through every rewrite this version makes, and a record an older Drover wrote reads
 * with defaults.
 */
class RollingUpgradeTest {
    private static JsonNode json(Object record) throws IOException {
        return DroverJson.mapper().readTree(DroverJson.encode(record));
    }

    @Test
    void newerStatus_keepsItsFieldsAndVersion_throughEveryTransition() throws IOException {
        TaskStatus pending =
                DroverJson.decode(
                        "/f", fixture("task-status-from-the-future.json"), TaskStatus.class);
        TaskStatus assigned = pending.assigned("worker-7", 4, 2_000);
        TaskStatus running = assigned.running(3_000).withProgress(Progress.of(50, "half", 3_500));

        for (TaskStatus rewritten :
                new TaskStatus[] {
                    assigned,
                    running,
                    running.finished(TaskState.SUCCEEDED, 9, null, null, 4_000),
                    running.requeued(2, "boom", 5_000)
                }) {
            JsonNode out = json(rewritten);
            assertThat(out.get("v").asInt()).isEqualTo(2);
            assertThat(out.get("tenant").asText()).isEqualTo("acme");
            assertThat(out.get("trace").get("id").asText()).isEqualTo("4bf92f3577b34da6");
            JsonNode newerAttempt = out.get("attempts").get(0);
            assertThat(newerAttempt.get("outcome").asText())
                    .as("an outcome this version does not know is carried, not rejected")
                    .isEqualTo("PREEMPTED");
            assertThat(newerAttempt.get("preemptedBy").asText()).isEqualTo("batch-9");
        }
    }

    @Test
    void newerSpec_inlineCopiesKeepItsFields() throws IOException {
        TaskSpec spec =
                DroverJson.decode("/f", fixture("task-spec-from-the-future.json"), TaskSpec.class);
        PendingEntry entry = PendingEntry.of(spec, TaskStatus.pending(spec), 0);

        JsonNode inline = json(entry).get("spec");
        assertThat(inline.get("v").asInt()).isEqualTo(7);
        assertThat(inline.get("deadline").asText()).isEqualTo("2030-01-01T00:00:00Z");
        assertThat(inline.get("retryPolicy").get("kind").asText()).isEqualTo("exponential");
        assertThat(
                        json(new Assignment(1, entry.status().assigned("w", 1, 1), 1, entry.spec()))
                                .get("spec")
                                .get("deadline"))
                .isNotNull();
    }

    @Test
    void newerAssignmentItemAndCommand_keepTheirFieldsWhenRewritten() throws IOException {
        Assignment a =
                DroverJson.decode(
                                "/f", fixture("assignment-from-the-future.json"), Assignment.class)
                        .withCancelRequested();
        assertThat(json(a).get("deadlineMs").asLong()).isEqualTo(1763870460000L);
        assertThat(json(a).get("status").get("tenant").asText()).isEqualTo("acme");

        ItemSpec item =
                DroverJson.decode("/f", fixture("item-spec-from-the-future.json"), ItemSpec.class)
                        .withReplicas(3);
        assertThat(json(item).get("tier").asText()).isEqualTo("hot");
        assertThat(json(item).get("v").asInt()).isEqualTo(2);

        LoadCommand c =
                DroverJson.decode(
                                "/f",
                                fixture("load-command-from-the-future.json"),
                                LoadCommand.class)
                        .failed("disk full", 2);
        assertThat(json(c).get("priority").asText()).isEqualTo("high");
    }

    @Test
    void resubmissionByAnOlderClient_ofASpecANewerOneStored_isTheSameTask() throws IOException {
        TaskSpec stored =
                DroverJson.decode("/f", fixture("task-spec-from-the-future.json"), TaskSpec.class)
                        .withSubmitStamp(5, 3);
        TaskSpec older =
                new TaskSpec(
                        1,
                        stored.id(),
                        stored.type(),
                        stored.payload(),
                        stored.priority(),
                        stored.maxAttempts(),
                        stored.requiredLabels(),
                        0,
                        stored.retry(),
                        stored.timeoutMs(),
                        stored.notBeforeMs(),
                        stored.idempotencyKey(),
                        0,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);

        assertThat(stored.sameTask(older)).isTrue();
        assertThat(stored.sameTask(older.withSubmitStamp(9, 9))).isTrue();
        assertThat(stored.sameTask(TaskSpec.builder("other").id(stored.id()).build())).isFalse();
    }

    @Test
    void olderStatus_readsWithDefaults_andARewriteWritesThisVersionsFields() throws IOException {
        TaskStatus old =
                DroverJson.decode("/f", fixture("task-status-older-writer.json"), TaskStatus.class);

        assertThat(old.epoch()).isZero();
        assertThat(old.submitSeq()).isZero();
        assertThat(old.unknown()).isEmpty();
        TaskStatus assigned = old.assigned("worker-7", 4, 2_000);
        assertThat(json(assigned).get("epoch").asLong()).isEqualTo(4);
        assertThat(json(assigned).has("submitSeq"))
                .as("no sequence from an older submitter")
                .isFalse();
        assertThat(
                        PendingEntry.of(
                                        TaskSpec.builder("resize-image")
                                                .id("resize-42")
                                                .build()
                                                .withSubmittedAtMs(1763870400000L),
                                        old,
                                        0)
                                .key())
                .as("an older writer's key has no sequence")
                .isEqualTo("1000000-1763870400000-resize-42");
    }
}
