package io.drover.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The znode formats are a public contract: these fixtures are what version 1 looks like on the
 * wire.
 */
class JsonFormatFixtureTest {

    static byte[] fixture(String name) throws IOException {
        try (InputStream in =
                JsonFormatFixtureTest.class.getResourceAsStream("/fixtures/v1/" + name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0} round-trips")
    @CsvSource({
        "task-spec.json, io.drover.model.TaskSpec",
        "task-spec-workflow.json, io.drover.model.TaskSpec",
        "task-spec-broadcast.json, io.drover.model.TaskSpec",
        "task-status-running.json, io.drover.model.TaskStatus",
        "task-status-succeeded.json, io.drover.model.TaskStatus",
        "task-status-rerun-with-attempts.json, io.drover.model.TaskStatus",
        "worker-info.json, io.drover.model.WorkerInfo",
        "pending-entry.json, io.drover.model.PendingEntry",
        "pending-entry-response.json, io.drover.model.PendingEntry",
        "broadcast-gathering.json, io.drover.model.BroadcastGathering",
        "broadcast-outcome.json, io.drover.model.BroadcastOutcome",
        "assignment.json, io.drover.model.Assignment",
        "claim.json, io.drover.model.Claim",
        "type-policy.json, io.drover.model.TypePolicy",
        "type-policy-capped.json, io.drover.model.TypePolicy",
        "type-policy-rate-and-fallback.json, io.drover.model.TypePolicy",
        "task-status-fallback.json, io.drover.model.TaskStatus",
        "live-counts.json, io.drover.model.LiveCounts",
        "live-counts-rate-limited.json, io.drover.model.LiveCounts",
        "breaker-state.json, io.drover.model.BreakerState",
        "item-spec.json, io.drover.model.ItemSpec",
        "load-command.json, io.drover.model.LoadCommand",
        "load-command-failed.json, io.drover.model.LoadCommand",
        "served-item.json, io.drover.model.ServedItem",
        "graph.json, io.drover.model.GraphRecord",
        "task-status-waiting.json, io.drover.model.TaskStatus",
    })
    void fixture_decodesAndEncodesBackToTheSameJson(String file, Class<?> type) throws IOException {
        byte[] bytes = fixture(file);

        Object decoded = DroverJson.decode("/fixture/" + file, bytes, type);
        JsonNode reencoded = DroverJson.mapper().readTree(DroverJson.encode(decoded));

        assertThat(withoutNulls(reencoded))
                .isEqualTo(withoutNulls(DroverJson.mapper().readTree(bytes)));
        assertThat(DroverJson.decode("/again", DroverJson.encode(decoded), type))
                .isEqualTo(decoded);
    }

    @Test
    void taskSpecFixture_hasTheDocumentedValues() throws IOException {
        TaskSpec spec = DroverJson.decode("/f", fixture("task-spec.json"), TaskSpec.class);

        assertThat(spec.formatVersion()).isEqualTo(1);
        assertThat(spec.id()).isEqualTo("resize-42");
        assertThat(spec.payload().get("width").asInt()).isEqualTo(640);
        assertThat(spec.requiredLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("gpu", "true", "zone", "eu-1"));
        assertThat(spec.retryPolicy()).isEqualTo(new RetryPolicy(500, 30_000, 2.0, true));
        assertThat(spec.timeoutMs()).isEqualTo(60_000);
        assertThat(spec.validate()).isSameAs(spec);
    }

    @Test
    void statusWithAttempts_hasTheDocumentedHistory() throws IOException {
        TaskStatus s =
                DroverJson.decode(
                        "/f", fixture("task-status-rerun-with-attempts.json"), TaskStatus.class);
        TaskStatus older =
                DroverJson.decode("/f", fixture("task-status-older-writer.json"), TaskStatus.class);

        assertThat(s.series()).isEqualTo(2);
        assertThat(s.attempts())
                .extracting(TaskAttempt::series, TaskAttempt::attempt, TaskAttempt::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, 1, "LOST"),
                        org.assertj.core.groups.Tuple.tuple(1, 2, "FAILED"),
                        org.assertj.core.groups.Tuple.tuple(2, 1, "RUNNING"));
        assertThat(s.attempts().get(2).endedAtMs()).isZero();
        assertThat(older.attempts()).as("a status from before the history").isEmpty();
        assertThat(older.series()).isEqualTo(1);
        assertThat(DroverJson.mapper().readTree(DroverJson.encode(older)).has("attempts"))
                .as("no history, nothing written")
                .isFalse();
    }

    @Test
    void graphFixture_hasItsEdgesAsIndexes_intoItsTasksThenTheTasksFromOutside()
            throws IOException {
        GraphRecord g = DroverJson.decode("/f", fixture("graph.json"), GraphRecord.class);

        assertThat(g.validate()).isSameAs(g);
        assertThat(g.state()).isEqualTo(GraphState.FAILED);
        assertThat(g.dependenciesOf(1)).containsExactly("extract-7", "schema-7");
        assertThat(g.dependentsOf("extract-7")).containsExactly("load-7", "report-7");
        assertThat(g.counts()).isEqualTo(new GraphRecord.Counts(1, 1, 1, 0));
    }

    @Test
    void itemFixtures_haveTheDocumentedValues() throws IOException {
        ItemSpec item = DroverJson.decode("/f", fixture("item-spec.json"), ItemSpec.class);
        LoadCommand failed =
                DroverJson.decode("/f", fixture("load-command-failed.json"), LoadCommand.class);
        WorkerInfo olderWorker =
                DroverJson.decode(
                        "/f",
                        "{\"v\":1,\"id\":\"w\",\"capacity\":1}".getBytes(StandardCharsets.UTF_8),
                        WorkerInfo.class);

        assertThat(item.replicas()).isEqualTo(2);
        assertThat(item.labels()).containsExactlyEntriesOf(Map.of("tier", "hot"));
        assertThat(item.spec().get("uri").asText()).startsWith("s3://");
        assertThat(item.validate()).isSameAs(item);
        assertThat(failed.isFailed()).isTrue();
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.action()).isEqualTo(LoadCommand.Action.LOAD);
        assertThat(olderWorker.servesItems())
                .as("a worker from before items serves none")
                .isFalse();
    }

    @Test
    void typePolicyFixtures_rateAndBreakerFallback_olderOnesReadAsNoLimitAndWait()
            throws IOException {
        TypePolicy p =
                DroverJson.decode(
                        "/f", fixture("type-policy-rate-and-fallback.json"), TypePolicy.class);
        TypePolicy older = DroverJson.decode("/f", fixture("type-policy.json"), TypePolicy.class);

        assertThat(p.rateLimit()).isEqualTo(new RateLimit(5.0, 10));
        assertThat(p.whenOpen()).isEqualTo(TypePolicy.WhenOpen.FALLBACK);
        assertThat(p.fallbackType()).isEqualTo("resize-lite");
        assertThat(p.validateFor("resize-image")).isSameAs(p);
        assertThat(older.rateLimit()).isNull();
        assertThat(older.whenOpen()).isEqualTo(TypePolicy.WhenOpen.WAIT);
        assertThat(older.fallbackType()).isNull();
        assertThat(DroverJson.mapper().readTree(DroverJson.encode(older)).has("whenOpen"))
                .as("WAIT, the default, is not written: an older reader sees the same policy")
                .isFalse();
        TaskStatus fallback =
                DroverJson.decode("/f", fixture("task-status-fallback.json"), TaskStatus.class);
        assertThat(fallback.runAs()).isEqualTo("resize-lite");
        assertThat(fallback.unknown()).isEmpty();
        LiveCounts counts =
                DroverJson.decode("/f", fixture("live-counts-rate-limited.json"), LiveCounts.class);
        assertThat(counts.validate().rateLimited()).containsExactly("resize-image");
    }

    @Test
    void olderWriter_withoutPolicyFields_readsWithDefaults() throws IOException {
        TaskSpec spec =
                DroverJson.decode(
                        "/f", fixture("task-spec-minimal-older-writer.json"), TaskSpec.class);

        assertThat(spec.retryPolicy()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(spec.timeoutMs()).isZero();
        assertThat(spec.notBeforeMs()).isZero();
        assertThat(spec.idempotencyKey()).isNull();
        assertThat(spec.validate()).isSameAs(spec);
    }

    @Test
    void newerWriter_unknownFieldsIgnored_missingFieldsDefaulted() throws IOException {
        TaskSpec spec =
                DroverJson.decode("/f", fixture("task-spec-from-the-future.json"), TaskSpec.class);

        assertThat(spec.formatVersion()).isEqualTo(7);
        assertThat(spec.type()).isEqualTo("resize-image");
        assertThat(spec.maxAttempts()).isEqualTo(TaskSpec.DEFAULT_MAX_ATTEMPTS);
        assertThat(spec.requiredLabels()).isEmpty();
    }

    @Test
    void workerInfo_sortsTypesAndMatchesLabels() throws IOException {
        WorkerInfo info = DroverJson.decode("/f", fixture("worker-info.json"), WorkerInfo.class);

        assertThat(info.taskTypes()).isEqualTo(List.of("echo", "resize-image"));
        assertThat(info.supports("resize-image", Map.of("gpu", "true"))).isTrue();
        assertThat(info.supports("resize-image", Map.of("gpu", "false"))).isFalse();
        assertThat(info.supports("transcode", Map.of())).isFalse();
    }

    @ParameterizedTest(name = "corrupt data {0} names the path")
    @CsvSource(
            delimiter = '|',
            value = {
                "''",
                "not json",
                "[1,2,3]",
                "{\"state\": \"EXPLODED\"}",
                "{\"v\":1} trailing",
                "null",
            })
    void corruptZnode_clearErrorNamingThePath(String data) {
        assertThatThrownBy(
                        () ->
                                DroverJson.decode(
                                        "/drover/c/status/0a/t1",
                                        data.getBytes(StandardCharsets.UTF_8),
                                        TaskStatus.class))
                .isInstanceOf(CorruptZnodeException.class)
                .hasMessageContaining("/drover/c/status/0a/t1")
                .satisfies(e -> assertThat(((DroverException) e).isRetryable()).isFalse());
    }

    @Test
    void payloadJustOverTheDepthLimit_rejectedNamingThePayload() {
        com.fasterxml.jackson.databind.JsonNode deep =
                DroverJson.parsePayload(
                        "[".repeat(TaskSpec.MAX_PAYLOAD_DEPTH + 1)
                                + "]".repeat(TaskSpec.MAX_PAYLOAD_DEPTH + 1));
        String ok = "[".repeat(TaskSpec.MAX_PAYLOAD_DEPTH) + "]".repeat(TaskSpec.MAX_PAYLOAD_DEPTH);

        assertThatThrownBy(() -> TaskSpec.builder("echo").payload(deep).build())
                .isInstanceOf(InvalidTaskException.class)
                .hasMessage(
                        "payload: is nested deeper than " + TaskSpec.MAX_PAYLOAD_DEPTH + " levels");
        TaskSpec accepted = TaskSpec.builder("echo").payloadJson(ok).build();
        PendingEntry entry = PendingEntry.of(accepted, TaskStatus.pending(accepted), 0);
        assertThat(DroverJson.decode("/p", DroverJson.encode(entry), PendingEntry.class).spec())
                .isEqualTo(accepted);
    }

    @Test
    void deeplyNestedPayload_isRejectedAsInvalid() {
        String deep =
                "[".repeat(DroverJson.MAX_NESTING_DEPTH + 10)
                        + "]".repeat(DroverJson.MAX_NESTING_DEPTH + 10);

        assertThatThrownBy(() -> TaskSpec.builder("echo").payloadJson(deep))
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageStartingWith("payload:");
    }

    private static JsonNode withoutNulls(JsonNode node) {
        if (node.isObject()) {
            var copy = DroverJson.mapper().createObjectNode();
            node.properties()
                    .forEach(
                            e -> {
                                if (!e.getValue().isNull()) {
                                    copy.set(e.getKey(), withoutNulls(e.getValue()));
                                }
                            });
            return copy;
        }
        return node;
    }
}
