package io.drover.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decoding means validating: each fixture is accepted where it belongs, and each way of breaking a
 * rule is named.
 */
class ZnodesTest {
    private static final DroverPaths PATHS = new DroverPaths("c");
    private static final String TASK = "resize-42";

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = ZnodesTest.class.getResourceAsStream("/fixtures/v1/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyFixture_validatesAtItsOwnPath() throws IOException {
        assertThat(Znodes.spec(PATHS.task(TASK), fixture("task-spec.json")).id()).isEqualTo(TASK);
        assertThat(
                        Znodes.status(PATHS.status(TASK), fixture("task-status-running.json"))
                                .workerId())
                .isEqualTo("worker-7");
        assertThat(
                        Znodes.status(PATHS.status(TASK), fixture("task-status-succeeded.json"))
                                .state()
                                .isTerminal())
                .isTrue();
        PendingEntry e =
                Znodes.pending(
                        PATHS.pending()
                                + "/"
                                + DroverPaths.bucketOf(TASK)
                                + "/0999995-1763870400000-"
                                + TASK,
                        fixture("pending-entry.json"));
        assertThat(PATHS.pending(e)).endsWith(e.key());
        assertThat(
                        Znodes.broadcast(
                                        PATHS.broadcast("flush-1"),
                                        fixture("broadcast-gathering.json"))
                                .responses())
                .hasSize(2);
        String response = "flush-1.worker-2.8f14e45fceea";
        PendingEntry r =
                Znodes.pending(
                        PATHS.pending()
                                + "/"
                                + DroverPaths.bucketOf(response)
                                + "/1000000-1763870400000-"
                                + response,
                        fixture("pending-entry-response.json"));
        assertThat(r.targetWorker()).isEqualTo("worker-2");
        assertThat(r.broadcast()).isFalse();
        assertThat(
                        Znodes.assignment(
                                        PATHS.assignment("worker-7", TASK),
                                        fixture("assignment.json"))
                                .taskId())
                .isEqualTo(TASK);
        assertThat(Znodes.worker(PATHS.worker("worker-7"), fixture("worker-info.json")).capacity())
                .isEqualTo(8);
        assertThat(Znodes.claim(PATHS.claim(TASK), fixture("claim.json")).attempt()).isEqualTo(2);
        assertThat(Znodes.typePolicy(PATHS.type("resize-image"), fixture("type-policy.json")))
                .isNotNull();
        assertThat(Znodes.breaker(PATHS.breaker("resize-image"), fixture("breaker-state.json")))
                .isNotNull();
        assertThat(
                        Znodes.item(PATHS.item("segment-2026-11-23"), fixture("item-spec.json"))
                                .replicas())
                .isEqualTo(2);
        assertThat(
                        Znodes.loadCommand(
                                PATHS.loadCommand("worker-7", "segment-2026-11-23"),
                                fixture("load-command.json")))
                .isNotNull();
        assertThat(
                        Znodes.served(
                                PATHS.servedItem("worker-7", "segment-2026-11-23"),
                                fixture("served-item.json")))
                .isNotNull();
    }

    @ParameterizedTest(name = "{0}: {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "status     | /drover/c/status/00/x | {not json                                      | not a TaskStatus JSON object",
                "status     | /drover/c/status/00/x | {}                                             | taskId: is required",
                "status     | /drover/c/status/00/x | []                                             | not a TaskStatus JSON object",
                "status     | /drover/c/status/00/x | {\"taskId\":\"x\",\"type\":\"t\"}             | state is required",
                "status     | /drover/c/status/00/x | {\"taskId\":\"x\",\"type\":\"t\",\"state\":\"RUNNING\",\"attempt\":1,\"maxAttempts\":1} | workerId (required while RUNNING): is required",
                "status     | /drover/c/status/00/x | {\"taskId\":\"x\",\"type\":\"t\",\"state\":\"PENDING\",\"attempt\":5,\"maxAttempts\":3} | attempt must be between 1 and maxAttempts",
                "status     | /drover/c/status/00/y | {\"taskId\":\"y\",\"type\":\"t\",\"state\":\"PENDING\",\"attempt\":1,\"maxAttempts\":3} | belongs in bucket",
                "status     | /drover/c/status/00/x | {\"taskId\":\"x\",\"type\":\"t\",\"state\":\"NAPPING\"} | not a TaskStatus JSON object",
                "worker     | /drover/c/workers/w1  | {\"id\":\"ghost\",\"capacity\":1}             | its data names \"ghost\" but the node is \"w1\"",
                "worker     | /drover/c/workers/w1  | {\"id\":\"w1\",\"capacity\":0}                | capacity must be between 1 and 10000",
                "worker     | /drover/c/workers/w1  | {\"id\":\"w1\",\"capacity\":2000000000}       | capacity must be between 1 and 10000",
                "worker     | /drover/c/workers/w1  | {\"v\":2,\"id\":\"w1\",\"capacity\":1}        | format version 2 is unknown",
                "worker     | /drover/c/workers/w1  | {\"id\":\"w1\",\"capacity\":\"lots\"}         | not a WorkerInfo JSON object",
                "worker     | /drover/c/workers/w1  | {\"id\":\"w1\",\"capacity\":1,\"taskTypes\":[\"no spaces\"]} | type: must be 1-64 characters",
                "assignment | /drover/c/assignments/w1/_x | {}                                       | status is required",
                "assignment | /drover/c/assignments/w1/t1 | {\"status\":{\"taskId\":\"t1\",\"type\":\"e\",\"state\":\"ASSIGNED\",\"attempt\":1,\"maxAttempts\":1,\"workerId\":\"w2\"},\"statusVersion\":1} | in the folder of \"w1\"",
                "assignment | /drover/c/assignments/w1/t1 | {\"status\":{\"taskId\":\"t1\",\"type\":\"e\",\"state\":\"ASSIGNED\",\"attempt\":1,\"maxAttempts\":1,\"workerId\":\"w1\"},\"statusVersion\":0} | statusVersion must be at least 1",
                "pending    | /drover/c/pending/00/k | {\"priority\":0,\"statusVersion\":0}         | status is required",
                "claim      | /drover/c/claims/t1    | {\"attempt\":1}                               | workerId: is required",
                "item       | /drover/c/items/i1     | {}                                            | id: is required",
                "command    | /drover/c/loadqueue/w1/i1 | {\"action\":\"LOAD\"}                      | item is required",
                "served     | /drover/c/served/w1/i1 | {\"workerId\":\"w2\",\"itemId\":\"i1\"}      | in the folder of \"w1\"",
                "policy     | /drover/c/types/echo   | {\"maxConcurrent\":-5}                        | maxConcurrent: must be between 0",
                "breaker    | /drover/c/breakers/echo | {\"failureRate\":7}                          | failureRate must be between 0 and 1",
                "coordinator | /drover/c/coordinators/c1 | {\"id\":\"c2\"}                           | its data names \"c2\" but the node is \"c1\"",
                "broadcast  | /drover/c/broadcasts/b1 | {\"taskId\":\"b2\",\"series\":1,\"success\":\"ALL\",\"fannedOutAtMs\":5,\"deadlineMs\":6} | its data names \"b2\"",
                "broadcast  | /drover/c/broadcasts/b1 | {\"taskId\":\"b1\",\"series\":1,\"success\":\"ALL\",\"fannedOutAtMs\":5,\"deadlineMs\":6,\"responses\":[{\"workerId\":\"w\",\"taskId\":\"r1\"},{\"workerId\":\"w\",\"taskId\":\"r2\"}]} | worker w is listed twice",
                "broadcast  | /drover/c/broadcasts/b1 | {\"taskId\":\"b1\",\"series\":1,\"fannedOutAtMs\":5,\"deadlineMs\":6} | success is required",
                "pending    | /drover/c/pending/00/k | {\"priority\":0,\"statusVersion\":0,\"targetWorker\":\"no/slash\",\"status\":{\"taskId\":\"t1\",\"type\":\"e\",\"state\":\"PENDING\",\"attempt\":1,\"maxAttempts\":1}} | targetWorker",
            })
    void badNode_isCorrupt_namingKindPathAndProblem(
            String kind, String path, String data, String problem) {
        BiFunction<String, byte[], Object> decoder =
                switch (kind) {
                    case "status" -> Znodes::status;
                    case "worker" -> Znodes::worker;
                    case "assignment" -> Znodes::assignment;
                    case "pending" -> Znodes::pending;
                    case "claim" -> Znodes::claim;
                    case "item" -> Znodes::item;
                    case "command" -> Znodes::loadCommand;
                    case "served" -> Znodes::served;
                    case "policy" -> Znodes::typePolicy;
                    case "breaker" -> Znodes::breaker;
                    case "coordinator" -> Znodes::coordinator;
                    case "broadcast" -> Znodes::broadcast;
                    default -> throw new IllegalArgumentException(kind);
                };
        String at =
                path.endsWith("/x") || path.endsWith("/y")
                        ? path.replace("/00/", "/" + DroverPaths.bucketOf("x") + "/")
                        : path;

        assertThatThrownBy(() -> decoder.apply(at, json(data)))
                .isInstanceOfSatisfying(
                        CorruptZnodeException.class,
                        e -> {
                            assertThat(e.path()).isEqualTo(at);
                            assertThat(e.kind()).isNotEqualTo(ZnodeKind.UNKNOWN);
                            assertThat(e.getMessage()).contains(at).contains(problem);
                        });
    }

    @Test
    void epochNode_emptyIsAFreshCluster_garbageIsCorrupt() {
        assertThat(Znodes.epoch(PATHS.leaderEpoch(), new byte[0])).isEqualTo(EpochInfo.NONE);
        assertThat(
                        Znodes.epoch(PATHS.leaderEpoch(), json("{\"leader\":\"c1\",\"sinceMs\":5}"))
                                .leader())
                .isEqualTo("c1");
        assertThatThrownBy(() -> Znodes.epoch(PATHS.leaderEpoch(), json("{not json")))
                .isInstanceOfSatisfying(
                        CorruptZnodeException.class,
                        e -> assertThat(e.kind()).isEqualTo(ZnodeKind.EPOCH));
    }

    @Test
    void nameThatIsNoId_isCorrupt() {
        assertThatThrownBy(() -> Znodes.idName(ZnodeKind.CANCEL, PATHS.cancel("_bad")))
                .isInstanceOfSatisfying(
                        CorruptZnodeException.class,
                        e -> assertThat(e.kind()).isEqualTo(ZnodeKind.CANCEL));
    }

    @Test
    void graphRecord_validatesAtItsOwnPath_andAnEdgeOutOfRangeIsCorrupt() throws IOException {
        assertThat(Znodes.graph(PATHS.graph("nightly-7"), fixture("graph.json")).tasks())
                .hasSize(3);
        assertThatThrownBy(() -> Znodes.graph(PATHS.graph("other"), fixture("graph.json")))
                .isInstanceOfSatisfying(
                        CorruptZnodeException.class,
                        e -> assertThat(e.kind()).isEqualTo(ZnodeKind.GRAPH));
        String broken =
                "{\"v\":1,\"id\":\"g\",\"state\":\"RUNNING\",\"tasks\":[\"a\"],"
                        + "\"dependsOn\":[[5]]}";
        assertThatThrownBy(() -> Znodes.graph(PATHS.graph("g"), json(broken)))
                .isInstanceOfSatisfying(
                        CorruptZnodeException.class,
                        e -> assertThat(e.problem()).contains("out of range"));
    }
}
