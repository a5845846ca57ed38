package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.Broadcast;
import io.drover.model.BroadcastGathering;
import io.drover.model.BroadcastOutcome;
import io.drover.model.DroverJson;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import io.drover.protocol.BroadcastTransitions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure decisions of a broadcast: who it reaches, when it ends, and how. */
class BroadcastPlannerTest {
    private static final long T0 = 1_000_000;

    private static WorkerInfo worker(String id, String type, Map<String, String> labels) {
        return new WorkerInfo(
                1, id, 2, List.of(type), labels, WorkerState.ACTIVE, "t", "h", 0, false);
    }

    private static TaskSpec broadcast(Broadcast.Success success) {
        return TaskSpec.builder("flush")
                .id("b1")
                .payloadJson("{\"cache\":\"all\"}")
                .maxAttempts(2)
                .timeoutMs(5_000)
                .requireLabel("zone", "eu")
                .broadcast(new Broadcast(success, 30_000))
                .build()
                .withSubmittedAtMs(T0 - 10);
    }

    private static BroadcastGathering gathering(Broadcast.Success success, String... workers) {
        return BroadcastPlanner.gathering(broadcast(success), 1, List.of(workers), T0);
    }

    private static TaskStatus ended(String id, TaskState state, Object result, String error) {
        TaskSpec spec = TaskSpec.builder("flush").id(id).build();
        return TaskStatus.pending(spec)
                .assigned("w", 1, T0)
                .running(T0)
                .finished(
                        state,
                        7,
                        result == null ? null : DroverJson.mapper().valueToTree(result),
                        error,
                        T0 + 5);
    }

    private static Map<String, TaskStatus> statuses(BroadcastGathering g, TaskState... states) {
        Map<String, TaskStatus> out = new HashMap<>();
        for (int i = 0; i < states.length; i++) {
            String id = g.responses().get(i).taskId();
            if (states[i] == null) {
                continue; // no such task
            }
            out.put(
                    id,
                    states[i] == TaskState.SUCCEEDED
                            ? ended(id, states[i], Map.of("flushed", i), null)
                            : states[i].isTerminal()
                                    ? ended(id, states[i], null, "boom " + i)
                                    : TaskStatus.pending(TaskSpec.builder("flush").id(id).build())
                                            .assigned("w", 1, T0)
                                            .running(T0));
        }
        return out;
    }

    @Test
    void members_areLiveActiveWorkersWithTheTypeAndLabels_sortedById() {
        WorkerInfo draining =
                worker("w0", "flush", Map.of("zone", "eu")).withState(WorkerState.DRAINING);
        List<WorkerInfo> workers =
                List.of(
                        worker("w3", "flush", Map.of("zone", "eu")),
                        worker("w1", "flush", Map.of("zone", "eu", "gpu", "yes")),
                        worker("w2", "flush", Map.of("zone", "us")),
                        worker("w4", "other", Map.of("zone", "eu")),
                        draining);

        assertThat(BroadcastPlanner.members("flush", Map.of("zone", "eu"), workers))
                .containsExactly("w1", "w3");
        assertThat(BroadcastPlanner.refusal("flush", Map.of(), List.of("w1"))).isNull();
    }

    @Test
    void noCapableWorker_orTooMany_isRefusedWithAReason_andFailsAtOnce() {
        String none = BroadcastPlanner.refusal("flush", Map.of("zone", "eu"), List.of());
        assertThat(none).contains("no live ACTIVE worker handles type flush").contains("zone=eu");
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= BroadcastGathering.MAX_WORKERS; i++) {
            many.add("w" + i);
        }
        assertThat(BroadcastPlanner.refusal("flush", Map.of(), many))
                .contains("at most " + BroadcastGathering.MAX_WORKERS);

        TaskStatus pending = TaskStatus.pending(broadcast(Broadcast.Success.ANY));
        TaskStatus end = BroadcastPlanner.refused(pending, Broadcast.Success.ANY, none, T0);
        assertThat(end.state()).isEqualTo(TaskState.FAILED);
        assertThat(end.error()).isEqualTo(none);
        assertThat(BroadcastOutcome.of(end).orElseThrow().workers()).isZero();
    }

    @Test
    void gathering_fixesTheSetAndTheDeadline_responsesCopyTheBroadcastForOneWorkerEach() {
        BroadcastGathering g = gathering(Broadcast.Success.QUORUM, "w1", "w2");

        assertThat(g.deadlineMs()).isEqualTo(T0 + 30_000);
        assertThat(g.success()).isEqualTo(Broadcast.Success.QUORUM);
        assertThat(g.responses())
                .extracting(BroadcastGathering.Member::workerId)
                .containsExactly("w1", "w2");
        assertThat(g.validate()).isSameAs(g);
        TaskSpec r =
                BroadcastPlanner.response(
                        broadcast(Broadcast.Success.QUORUM), g.responses().get(1), T0);
        assertThat(r.id()).isEqualTo(g.responses().get(1).taskId()).startsWith("b1.w2.");
        assertThat(r.parentId()).isEqualTo("b1");
        assertThat(r.targetWorker()).isEqualTo("w2");
        assertThat(r.broadcast()).isNull();
        assertThat(r.payload().get("cache").asText()).isEqualTo("all");
        assertThat(r.maxAttempts()).isEqualTo(2);
        assertThat(r.timeoutMs()).isEqualTo(5_000);
        assertThat(r.requiredLabels()).containsEntry("zone", "eu");
        assertThat(r.submittedAtMs()).isEqualTo(T0);
        // a re-run of the broadcast (series 2) names other responses
        assertThat(BroadcastGathering.responseId("b1", 2, "w2")).isNotEqualTo(r.id());
    }

    @Test
    void due_whenEveryResponseEnded_orAtTheDeadline_notBefore() {
        BroadcastGathering g = gathering(Broadcast.Success.ALL, "w1", "w2");
        String r1 = g.responses().get(0).taskId();
        String r2 = g.responses().get(1).taskId();

        assertThat(BroadcastPlanner.due(g, Set.of(r1), T0 + 1)).isFalse();
        assertThat(BroadcastPlanner.due(g, Set.of(r1, r2), T0 + 1)).isTrue();
        assertThat(BroadcastPlanner.due(g, Set.of(), g.deadlineMs() - 1)).isFalse();
        assertThat(BroadcastPlanner.due(g, Set.of(), g.deadlineMs())).isTrue();
    }

    @Test
    void all_needsEveryResponse_aFailedOneFailsTheBroadcast_withOneResultPerWorker() {
        BroadcastGathering g = gathering(Broadcast.Success.ALL, "w1", "w2", "w3");
        Map<String, TaskStatus> s =
                statuses(g, TaskState.SUCCEEDED, TaskState.FAILED, TaskState.SUCCEEDED);

        BroadcastOutcome o = BroadcastPlanner.outcome(g, s, false);
        TaskStatus end = BroadcastPlanner.end(waiting(), o, false, T0 + 9);

        assertThat(o.succeeded()).isEqualTo(2);
        assertThat(o.needed()).isEqualTo(3);
        assertThat(end.state()).isEqualTo(TaskState.FAILED);
        assertThat(end.error()).isEqualTo("2 of 3 responses succeeded; ALL needs 3");
        BroadcastOutcome read = BroadcastOutcome.of(end).orElseThrow();
        assertThat(read.responses())
                .extracting(BroadcastOutcome.Response::workerId, BroadcastOutcome.Response::state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("w1", TaskState.SUCCEEDED),
                        org.assertj.core.groups.Tuple.tuple("w2", TaskState.FAILED),
                        org.assertj.core.groups.Tuple.tuple("w3", TaskState.SUCCEEDED));
        assertThat(read.responses().get(0).result().get("flushed").asInt()).isZero();
        assertThat(read.responses().get(1).error()).isEqualTo("boom 1");
    }

    @Test
    void quorum_needsAMajority_any_needsOne() {
        BroadcastGathering q = gathering(Broadcast.Success.QUORUM, "w1", "w2", "w3");
        BroadcastOutcome two =
                BroadcastPlanner.outcome(
                        q,
                        statuses(q, TaskState.SUCCEEDED, TaskState.FAILED, TaskState.SUCCEEDED),
                        false);
        BroadcastOutcome one =
                BroadcastPlanner.outcome(
                        q,
                        statuses(q, TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED),
                        false);
        assertThat(two.met()).isTrue();
        assertThat(one.met()).isFalse();
        assertThat(BroadcastPlanner.end(waiting(), two, false, T0).state())
                .isEqualTo(TaskState.SUCCEEDED);

        BroadcastGathering a = gathering(Broadcast.Success.ANY, "w1", "w2", "w3");
        BroadcastOutcome any =
                BroadcastPlanner.outcome(
                        a,
                        statuses(a, TaskState.FAILED, TaskState.FAILED, TaskState.SUCCEEDED),
                        false);
        BroadcastOutcome no =
                BroadcastPlanner.outcome(
                        a,
                        statuses(a, TaskState.FAILED, TaskState.FAILED, TaskState.FAILED),
                        false);
        assertThat(any.met()).isTrue();
        assertThat(no.met()).isFalse();
        assertThat(Broadcast.Success.QUORUM.needed(4)).isEqualTo(3);
        assertThat(Broadcast.Success.ALL.needed(0)).isEqualTo(1); // nobody reached: never met
    }

    @Test
    void atTheDeadline_responsesNotEnded_countAsFailed_andAreCancelled_missingOnesToo() {
        BroadcastGathering g = gathering(Broadcast.Success.ANY, "w1", "w2", "w3");
        Map<String, TaskStatus> s = statuses(g, TaskState.SUCCEEDED, TaskState.RUNNING, null);

        BroadcastOutcome o = BroadcastPlanner.outcome(g, s, false);

        assertThat(o.responses().get(1).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(o.responses().get(1).error())
                .isEqualTo("not ended by the deadline (it was RUNNING)");
        assertThat(o.responses().get(2).state()).isEqualTo(TaskState.FAILED);
        assertThat(o.responses().get(2).error()).contains("does not exist");
        assertThat(BroadcastPlanner.unfinished(g, s))
                .containsExactly(g.responses().get(1).taskId());
        assertThat(o.met()).isTrue();
    }

    @Test
    void aDeadWorkersResponse_isAFailedResponse_namingTheWorker() {
        TaskSpec spec = TaskSpec.builder("flush").id("r").targetWorker("w9").build();
        TaskStatus failed = BroadcastPlanner.orphaned(TaskStatus.pending(spec), "w9", T0);

        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.error()).startsWith("worker w9 is gone");
    }

    @Test
    void cancelledBroadcast_endsCancelled_withWhatWasGathered() {
        BroadcastGathering g = gathering(Broadcast.Success.ANY, "w1", "w2");
        Map<String, TaskStatus> s = statuses(g, TaskState.SUCCEEDED, TaskState.PENDING);

        BroadcastOutcome o = BroadcastPlanner.outcome(g, s, true);
        TaskStatus end = BroadcastPlanner.end(waiting(), o, true, T0);

        assertThat(end.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(o.responses().get(1).error()).startsWith("cancelled with the broadcast");
    }

    @Test
    void results_pastTheBudget_areOmitted_andNameTheirTask() {
        String big = "x".repeat(BroadcastOutcome.MAX_RESULT_BYTES / 2 - 100);
        BroadcastGathering g = gathering(Broadcast.Success.ALL, "w1", "w2", "w3");
        Map<String, TaskStatus> s = new HashMap<>();
        g.responses()
                .forEach(m -> s.put(m.taskId(), ended(m.taskId(), TaskState.SUCCEEDED, big, null)));

        BroadcastOutcome o = BroadcastPlanner.outcome(g, s, false);

        assertThat(o.responses())
                .extracting(BroadcastOutcome.Response::resultOmitted)
                .containsExactly(false, false, true);
        assertThat(o.responses().get(2).result()).isNull();
        assertThat(o.met()).isTrue();
    }

    private static TaskStatus waiting() {
        return BroadcastTransitions.waiting(TaskStatus.pending(broadcast(Broadcast.Success.ALL)));
    }
}
