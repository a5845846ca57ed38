package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.Broadcast;
import io.drover.model.BroadcastGathering;
import io.drover.model.BroadcastOutcome;
import io.drover.model.DroverJson;
import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.protocol.BroadcastTransitions;
import io.drover.protocol.Znodes;
import io.drover.testkit.Faults;
import io.drover.worker.TaskHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * Broadcasts on a real cluster: the leader fans out to the live workers that handle the type and
 * labels, each response runs on its own worker only, and the broadcast ends with one response per
 * worker by its policy, at the end of the last response or at the deadline, across worker deaths
 * and a leader failover.
 */
class BroadcastIT extends ClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Answers with the worker it ran on. */
    private static final TaskHandler WHO = ctx -> Map.of("worker", ctx.workerId());

    private static TaskSpec broadcast(String id, String type, Broadcast.Success success, long ms) {
        return TaskSpec.builder(type)
                .id(id)
                .maxAttempts(1)
                .broadcast(new Broadcast(success, ms))
                .build();
    }

    private static BroadcastOutcome outcome(TaskStatus end) {
        return BroadcastOutcome.of(end).orElseThrow();
    }

    private static Map<String, TaskState> states(BroadcastOutcome o) {
        Map<String, TaskState> out = new java.util.TreeMap<>();
        o.responses().forEach(r -> out.put(r.workerId(), r.state()));
        return out;
    }

    @Test
    void broadcastToThreeWorkers_endsWithThreeResults_aWorkerJoiningAfterTheFanOutGetsNothing()
            throws Exception {
        Gate gate = new Gate(true);
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        for (String w : List.of("w1", "w2", "w3")) {
            cluster.worker(w, 2, Map.of("flush", gate), null);
        }
        DroverClient client = cluster.client();

        client.submit(broadcast("b1", "flush", Broadcast.Success.ALL, 60_000)).join();
        await().atMost(WAIT).until(() -> gate.executions.size() == 3);
        cluster.worker("late", 2, Map.of("flush", gate), null);
        gate.open();
        TaskStatus end = client.await("b1", WAIT);

        assertThat(end.state()).isEqualTo(TaskState.SUCCEEDED);
        BroadcastOutcome o = outcome(end);
        assertThat(o.workers()).isEqualTo(3);
        assertThat(o.responses())
                .extracting(BroadcastOutcome.Response::workerId)
                .containsExactly("w1", "w2", "w3");
        assertThat(o.responses())
                .allSatisfy(
                        r -> {
                            assertThat(r.state()).isEqualTo(TaskState.SUCCEEDED);
                            assertThat(r.result().get("ranOn").asText()).isEqualTo(r.workerId());
                            assertThat(client.status(r.taskId()).join().workerId())
                                    .isEqualTo(r.workerId());
                        });
        assertThat(gate.executionsOn("late")).isZero();
        assertThat(gate.executions).hasSize(3);
        assertThat(ZK.newClient().checkExists().forPath(client.store().paths().broadcast("b1")))
                .as("the gathering is deleted with the end")
                .isNull();
    }

    @Test
    void labelsRestrictTheSet_andNoCapableWorker_failsAtOnce() throws Exception {
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        cluster.worker("eu-1", 1, Map.of("flush", WHO), b -> b.label("zone", "eu"));
        cluster.worker("eu-2", 1, Map.of("flush", WHO), b -> b.label("zone", "eu"));
        cluster.worker("us-1", 1, Map.of("flush", WHO), b -> b.label("zone", "us"));
        DroverClient client = cluster.client();

        client.submit(
                        TaskSpec.builder("flush")
                                .id("eu-only")
                                .requireLabel("zone", "eu")
                                .broadcast(new Broadcast(Broadcast.Success.ALL, 60_000))
                                .build())
                .join();
        client.submit(broadcast("nobody", "unknown-type", Broadcast.Success.ANY, 60_000)).join();

        TaskStatus eu = client.await("eu-only", WAIT);
        assertThat(eu.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(states(outcome(eu))).containsOnlyKeys("eu-1", "eu-2");
        TaskStatus none = client.await("nobody", WAIT);
        assertThat(none.state()).isEqualTo(TaskState.FAILED);
        assertThat(none.error()).contains("no live ACTIVE worker handles type unknown-type");
        assertThat(outcome(none).workers()).isZero();
    }

    @Test
    void aWorkerKilledMidRun_isAFailedResponse_neverRunElsewhere_quorumStillSucceeds()
            throws Exception {
        Gate gate = new Gate(true);
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        CuratorFramework w2Session = ZK.newClient();
        cluster.worker("w1", 2, Map.of("flush", gate), null);
        cluster.worker(w2Session, "w2", 2, Map.of("flush", gate), null);
        cluster.worker("w3", 2, Map.of("flush", gate), null);
        DroverClient client = cluster.client();
        // attempts left: a lost attempt of an ordinary task would run again, a response's must not
        for (String id : List.of("q", "a")) {
            client.submit(
                            TaskSpec.builder("flush")
                                    .id(id)
                                    .maxAttempts(3)
                                    .broadcast(
                                            new Broadcast(
                                                    id.equals("q")
                                                            ? Broadcast.Success.QUORUM
                                                            : Broadcast.Success.ALL,
                                                    600_000))
                                    .build())
                    .join();
        }
        await().atMost(WAIT).until(() -> gate.executions.size() == 6); // all mid-run

        Faults.expireSession(w2Session, ZK.connectString()); // dies as in a kill -9
        await().atMost(WAIT)
                .until(
                        () ->
                                List.of("q", "a").stream()
                                        .map(p -> BroadcastGathering.responseId(p, 1, "w2"))
                                        .allMatch(
                                                r -> client.status(r).join().state().isTerminal()));
        gate.open();
        TaskStatus quorum = client.await("q", WAIT);
        TaskStatus all = client.await("a", WAIT);

        assertThat(quorum.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(all.state()).isEqualTo(TaskState.FAILED);
        assertThat(all.error()).isEqualTo("2 of 3 responses succeeded; ALL needs 3");
        for (TaskStatus end : List.of(quorum, all)) {
            assertThat(states(outcome(end)))
                    .containsEntry("w1", TaskState.SUCCEEDED)
                    .containsEntry("w2", TaskState.FAILED)
                    .containsEntry("w3", TaskState.SUCCEEDED);
            BroadcastOutcome.Response w2 =
                    outcome(end).responses().stream()
                            .filter(r -> r.workerId().equals("w2"))
                            .findFirst()
                            .orElseThrow();
            assertThat(w2.error()).contains("worker w2");
            TaskStatus response = client.status(w2.taskId()).join();
            assertThat(response.state()).isEqualTo(TaskState.FAILED);
            assertThat(response.workerId()).isEqualTo("w2");
        }
        assertThat(gate.executions)
                .as("nothing ran twice, and w2's responses moved nowhere")
                .extracting(Gate.Execution::taskId)
                .doesNotHaveDuplicates();
        assertThat(gate.executions).hasSize(6);
    }

    @Test
    void aResponseWhoseWorkerLeavesBeforeItRan_failsNamingTheWorker() throws Exception {
        Gate busy = new Gate(false); // stops when its worker does
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        cluster.worker("w1", 1, Map.of("flush", WHO), null);
        io.drover.worker.Worker w2 =
                cluster.worker("w2", 1, Map.of("flush", WHO, "busy", busy), null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("busy").id("hog").build()).join();
        await().atMost(WAIT).until(() -> busy.executionsOn("w2") == 1); // w2 is full

        client.submit(broadcast("b", "flush", Broadcast.Success.ANY, 600_000)).join();
        await().atMost(WAIT)
                .until(
                        () ->
                                client.status(BroadcastGathering.responseId("b", 1, "w1"))
                                        .handle((s, e) -> s != null && s.state().isTerminal())
                                        .join());
        w2.close(); // leaves with its response still pending
        TaskStatus end = client.await("b", WAIT);

        assertThat(end.state()).isEqualTo(TaskState.SUCCEEDED);
        BroadcastOutcome.Response gone = outcome(end).responses().get(1);
        assertThat(gone.workerId()).isEqualTo("w2");
        assertThat(gone.state()).isEqualTo(TaskState.FAILED);
        // Usually still pending when w2 leaves ("is gone"); but the slot its hand-back of "hog"
        // frees can reach the leader before the read of its DRAINING announcement does, and then
        // the response is assigned to w2 and fails as unclaimed when w2's session ends. Either
        // way it fails for good, naming the worker, and runs nowhere else.
        assertThat(gone.error())
                .startsWith("worker w2 ")
                .containsAnyOf("is gone", "lost before it claimed the task");
    }

    @Test
    void theDeadline_endsABroadcastWhoseResponseHangs_andCancelsThatResponse() throws Exception {
        Gate hangs = new Gate(false);
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        cluster.worker("stuck", 1, Map.of("flush", hangs), null);
        DroverClient client = cluster.client();

        client.submit(broadcast("d", "flush", Broadcast.Success.ANY, 1_000)).join();
        TaskStatus end = client.await("d", WAIT); // only the deadline can end it

        assertThat(end.state()).isEqualTo(TaskState.FAILED);
        assertThat(end.error()).isEqualTo("0 of 1 responses succeeded; ANY needs 1");
        BroadcastOutcome.Response stuck = outcome(end).responses().get(0);
        assertThat(stuck.workerId()).isEqualTo("stuck");
        assertThat(stuck.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(stuck.error()).startsWith("not ended by the deadline");
        assertThat(client.await(stuck.taskId(), WAIT).state())
                .as("the hanging response itself is cancelled")
                .isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void cancellingAGatheringBroadcast_endsItCancelled_andCancelsItsResponses() throws Exception {
        Gate hangs = new Gate(false);
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        cluster.worker("w1", 1, Map.of("flush", hangs), null);
        DroverClient client = cluster.client();
        client.submit(broadcast("c", "flush", Broadcast.Success.ALL, 600_000)).join();
        await().atMost(WAIT).until(() -> hangs.executions.size() == 1);

        client.cancel("c").join();
        TaskStatus end = client.await("c", WAIT);

        assertThat(end.state()).isEqualTo(TaskState.CANCELLED);
        BroadcastOutcome.Response r = outcome(end).responses().get(0);
        assertThat(r.error()).startsWith("cancelled with the broadcast");
        assertThat(client.await(r.taskId(), WAIT).state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void leaderDiesBetweenFanOutAndEnd_theNewLeaderFinishesTheGathering() throws Exception {
        Gate gate = new Gate(true);
        CuratorFramework c1Session = ZK.newClient();
        Coordinator c1 = cluster.coordinator(c1Session, "c1", null);
        long first = c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        for (String w : List.of("w1", "w2", "w3")) {
            cluster.worker(w, 1, Map.of("flush", gate), null);
        }
        DroverClient client = cluster.client();
        client.submit(broadcast("f", "flush", Broadcast.Success.ALL, 120_000)).join();
        await().atMost(WAIT).until(() -> gate.executions.size() == 3);
        assertThat(client.status("f").join().state()).isEqualTo(TaskState.WAITING);

        Faults.expireSession(c1Session, ZK.connectString()); // the leader crashes
        long second = c2.whenLeaderReady().get(60, TimeUnit.SECONDS);
        gate.open();
        TaskStatus end = client.await("f", WAIT);

        assertThat(second).isGreaterThan(first);
        assertThat(end.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(states(outcome(end))).containsOnlyKeys("w1", "w2", "w3");
        assertThat(gate.executions).hasSize(3);
    }

    @Test
    void aLeaderThatFannedOutButCreatedNoResponse_isFinishedByTheNext() throws Exception {
        cluster.worker("w1", 1, Map.of("flush", WHO), null);
        cluster.worker("w2", 1, Map.of("flush", WHO), null);
        DroverClient client = cluster.client();
        client.submit(broadcast("half", "flush", Broadcast.Success.ALL, 120_000)).join();
        // What a leader leaves when it dies right after its fan-out multi: the broadcast WAITING
        // with its gathering, and not one response.
        CuratorFramework raw = ZK.newClient();
        TaskSpec spec = client.store().spec("half").join().orElseThrow();
        String entryPath = client.store().paths().pending(spec);
        PendingEntry entry = Znodes.pending(entryPath, raw.getData().forPath(entryPath));
        BroadcastGathering g =
                new BroadcastGathering(
                        1,
                        "half",
                        1,
                        Broadcast.Success.ALL,
                        System.currentTimeMillis(),
                        System.currentTimeMillis() + 120_000,
                        List.of(
                                new BroadcastGathering.Member(
                                        "w1", BroadcastGathering.responseId("half", 1, "w1")),
                                new BroadcastGathering.Member(
                                        "w2", BroadcastGathering.responseId("half", 1, "w2"))));
        raw.transaction()
                .forOperations(
                        new BroadcastTransitions(raw, client.store().paths()).fanOut(entry, g));

        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        TaskStatus end = client.await("half", WAIT);

        assertThat(end.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(outcome(end).responses())
                .extracting(r -> r.result().get("worker").asText())
                .containsExactly("w1", "w2");
        assertThat(DroverJson.encode(end).length).isPositive();
    }
}
