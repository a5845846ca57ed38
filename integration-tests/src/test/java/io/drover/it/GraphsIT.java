package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.GraphConflictException;
import io.drover.model.GraphRecord;
import io.drover.model.GraphRules;
import io.drover.model.GraphState;
import io.drover.model.InvalidTaskException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.protocol.DependencyTransitions;
import io.drover.store.StoreOptions;
import io.drover.testkit.Faults;
import io.drover.worker.TaskFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;

/** Graphs of tasks submitted as a unit ({@code DroverClient.graphs()}), with real ZooKeeper. */
class GraphsIT extends ClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TaskSpec task(String type, String id, String... after) {
        return TaskSpec.builder(type).id(id).dependsOn(after).build();
    }

    private static GraphRecord ended(DroverClient client, String graphId) {
        return await().atMost(WAIT)
                .until(
                        () -> client.graphs().get(graphId).orElseThrow().value(),
                        g -> g.state().isEnded());
    }

    @Test
    void aDiamond_runsAsAUnit_andTheGraphEndsSucceeded_withItsCounts() throws Exception {
        cluster.coordinator("c1");
        cluster.worker("w1", 4, Map.of("step", ctx -> ctx.dependencyResults().size()), null);
        DroverClient client = cluster.client();

        String id =
                client.graphs()
                        .submit(
                                "diamond",
                                List.of(
                                        task("step", "d-join", "d-left", "d-right"),
                                        task("step", "d-left", "d-root"),
                                        task("step", "d-right", "d-root"),
                                        task("step", "d-root")),
                                null);

        GraphRecord g = ended(client, id);
        assertThat(g.state()).isEqualTo(GraphState.SUCCEEDED);
        assertThat(g.counts()).isEqualTo(new GraphRecord.Counts(4, 0, 0, 0));
        assertThat(g.dependentsOf("d-root")).containsExactly("d-left", "d-right");
        TaskStatus join = client.await("d-join", WAIT);
        assertThat(join.result().asInt()).isEqualTo(2);
        assertThat(client.store().spec("d-join").join().orElseThrow().graphId()).isEqualTo(id);
    }

    @Test
    void aGraphLargerThanAMulti_isStagedAllOrNothing_aFailureMidwayLeavesNothing()
            throws Exception {
        cluster.coordinator("c1");
        DroverClient client = cluster.client();
        DroverClient small =
                DroverClient.using(
                        ZK.newClient(), cluster.cluster(), new StoreOptions(256 * 1024, 30));
        try {
            // 300 tasks of 3 ops and more: dozens of multis of at most 30 ops
            client.submit(TaskSpec.builder("step").id("taken-150").build()).join();
            List<TaskSpec> specs = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                specs.add(
                        i == 0
                                ? task("step", "big-0")
                                : task("step", i == 150 ? "taken-150" : "big-" + i, "big-0"));
            }

            assertThatThrownBy(() -> small.graphs().submit("big", specs, null))
                    .isInstanceOf(GraphConflictException.class)
                    .hasMessageContaining("tasks[150]")
                    .hasMessageContaining("taken-150");

            assertThat(client.graphs().get("big")).isEmpty();
            for (int i = 0; i < 300; i++) {
                if (i != 150) {
                    assertThat(client.store().status("big-" + i).join()).as("big-" + i).isEmpty();
                }
            }
            assertThat(client.status("taken-150").join().state()).isEqualTo(TaskState.PENDING);

            // the same graph without the clash goes through, staged in as many multis
            specs.set(150, task("step", "big-150", "big-0"));
            cluster.worker("w1", 16, Map.of("step", ctx -> null), null);
            assertThat(small.graphs().submit("big", specs, null)).isEqualTo("big");
            GraphRecord g = ended(client, "big");
            assertThat(g.state()).isEqualTo(GraphState.SUCCEEDED);
            assertThat(g.counts().succeeded()).isEqualTo(300);
        } finally {
            small.close();
        }
    }

    @Test
    void aCycleOrAnUnknownId_isRefusedNamingIt_andWritesNothing() {
        cluster.coordinator("c1");
        DroverClient client = cluster.client();

        assertThatThrownBy(
                        () ->
                                client.graphs()
                                        .submit(
                                                "loop",
                                                List.of(
                                                        task("step", "x", "z"),
                                                        task("step", "y", "x"),
                                                        task("step", "z", "y")),
                                                null))
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageContaining("cycle")
                .hasMessageContaining("x -> z -> y -> x");
        assertThatThrownBy(
                        () ->
                                client.graphs()
                                        .submit(
                                                "typo",
                                                List.of(task("step", "a"), task("step", "b", "aa")),
                                                null))
                .isInstanceOfSatisfying(
                        InvalidTaskException.class,
                        e -> assertThat(e.field()).isEqualTo("tasks[1].dependsOn"))
                .hasMessageContaining("aa");
        assertThat(client.graphs().get("loop")).isEmpty();
        assertThat(client.graphs().get("typo")).isEmpty();
        assertThat(client.store().status("a").join()).isEmpty();
    }

    @Test
    void cancellingAGraph_cancelsWhatHasNotEnded_andTheGraphEndsCancelled() throws Exception {
        cluster.coordinator("c1");
        Gate gate = new Gate(false);
        cluster.worker("w1", 2, Map.of("gated", gate, "step", ctx -> null), null);
        DroverClient client = cluster.client();
        client.graphs()
                .submit(
                        "stop-me",
                        List.of(
                                task("gated", "s-root"),
                                task("step", "s-a", "s-root"),
                                task("step", "s-b", "s-a")),
                        null);
        await().atMost(WAIT).until(() -> gate.executions.size() == 1);

        assertThat(client.graphs().cancel("stop-me")).isEqualTo(3);

        GraphRecord g = ended(client, "stop-me");
        assertThat(g.state()).isEqualTo(GraphState.CANCELLED);
        assertThat(g.counts().cancelled()).isEqualTo(3);
        assertThat(client.await("s-b", WAIT).state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void aFailedGraph_isRerunFromItsFailedTasks_andEndsSucceeded() throws Exception {
        cluster.coordinator("c1");
        AtomicInteger runs = new AtomicInteger();
        cluster.worker(
                "w1",
                2,
                Map.of(
                        "flaky",
                        ctx -> {
                            if (runs.incrementAndGet() == 1) {
                                throw TaskFailedException.permanent("first run fails");
                            }
                            return "ok";
                        },
                        "step",
                        ctx -> "ran"),
                null);
        DroverClient client = cluster.client();
        client.graphs()
                .submit(
                        "again",
                        List.of(
                                task("step", "r-first"),
                                task("flaky", "r-extract", "r-first"),
                                task("step", "r-load", "r-extract"),
                                task("step", "r-report", "r-load")),
                        null);
        GraphRecord failed = ended(client, "again");
        assertThat(failed.state()).isEqualTo(GraphState.FAILED);
        assertThat(failed.counts()).isEqualTo(new GraphRecord.Counts(1, 1, 2, 0));
        assertThat(client.status("r-load").join().error()).isEqualTo("dependency r-extract FAILED");
        assertThatThrownBy(() -> client.graphs().rerun("no-such-graph", null))
                .hasMessageContaining("no graph");

        assertThat(client.graphs().rerun("again", null)).isEqualTo(3);

        GraphRecord done =
                await().atMost(WAIT)
                        .until(
                                () -> client.graphs().get("again").orElseThrow().value(),
                                g -> g.reruns() == 1 && g.state().isEnded());
        assertThat(done.state()).isEqualTo(GraphState.SUCCEEDED);
        assertThat(done.counts()).isEqualTo(new GraphRecord.Counts(4, 0, 0, 0));
        assertThat(client.status("r-first").join().series()).isEqualTo(1);
        assertThat(client.status("r-report").join().series()).isEqualTo(2);
    }

    @Test
    void aStagingWhoseSubmitterDied_isAbandonedByTheLeader_andALateSealFails() throws Exception {
        cluster.coordinator(
                ZK.newClient(), "c1", b -> b.graphStagingTimeout(Duration.ofMillis(300)));
        DroverClient client = cluster.client();
        DroverPaths paths = new DroverPaths(cluster.cluster());
        CuratorFramework zk = ZK.newClient();
        try {
            // what a submitter leaves when it dies mid-staging: the record, one task of two
            TaskSpec a = GraphRules.member(task("step", "orphan-a").withSubmittedAtMs(1), "dead");
            TaskSpec b = GraphRules.member(task("step", "orphan-b", "orphan-a"), "dead");
            GraphRecord staging = GraphRules.plan("dead", List.of(a, b), null, 1);
            zk.create().forPath(paths.graph("dead"), DroverJson.encode(staging));
            byte[] bytes = DroverJson.encode(a);
            zk.transaction()
                    .forOperations(
                            new DependencyTransitions(zk, paths).submit(a, bytes, List.of()));

            await().atMost(WAIT)
                    .until(
                            () ->
                                    zk.checkExists().forPath(paths.graph("dead")) == null
                                            && client.store().status("orphan-a").join().isEmpty());
            assertThat(zk.checkExists().forPath(paths.waiting("orphan-a"))).isNull();
            assertThat(client.store().spec("orphan-a").join()).isEmpty();
            assertThatThrownBy(
                            () ->
                                    zk.setData()
                                            .withVersion(0)
                                            .forPath(
                                                    paths.graph("dead"),
                                                    DroverJson.encode(
                                                            staging.in(
                                                                    GraphState.RUNNING,
                                                                    0,
                                                                    null,
                                                                    0))))
                    .isInstanceOf(KeeperException.NoNodeException.class);
        } finally {
            zk.close();
        }
    }

    @Test
    void aGraphRunningAcrossALeaderFailover_isFollowedToItsEndByTheNewLeader() throws Exception {
        CuratorFramework c1Session = ZK.newClient();
        Coordinator c1 = cluster.coordinator(c1Session, "c1", null);
        c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        Gate gate = new Gate(false);
        cluster.worker("w1", 4, Map.of("gated", gate, "step", ctx -> null), null);
        DroverClient client = cluster.client();
        client.graphs()
                .submit(
                        "across",
                        List.of(
                                task("gated", "f-root"),
                                task("step", "f-a", "f-root"),
                                task("step", "f-b", "f-root"),
                                task("step", "f-end", "f-a", "f-b")),
                        null);
        await().atMost(WAIT).until(() -> gate.executions.size() == 1);

        Faults.expireSession(c1Session, ZK.connectString());
        c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        gate.open();

        GraphRecord g = ended(client, "across");
        assertThat(g.state()).isEqualTo(GraphState.SUCCEEDED);
        assertThat(g.counts().succeeded()).isEqualTo(4);
    }
}
