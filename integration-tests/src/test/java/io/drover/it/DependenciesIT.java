package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.DroverPaths;
import io.drover.model.InvalidTaskException;
import io.drover.model.QuotaExceededException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.TypePolicy;
import io.drover.store.StoreOptions;
import io.drover.testkit.Faults;
import io.drover.worker.TaskFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/** Tasks that depend on tasks ({@code dependsOn}), on a cluster with real ZooKeeper. */
class DependenciesIT extends ClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private TaskStatus state(DroverClient client, String id) {
        return client.status(id).join();
    }

    @Test
    void aChain_runsInOrder_eachWaitingUntilTheOneBeforeSucceeded() throws Exception {
        cluster.coordinator("c1");
        Gate gate = new Gate(false);
        List<String> started = new CopyOnWriteArrayList<>();
        cluster.worker(
                "w1",
                4,
                Map.of(
                        "gated",
                        gate,
                        "step",
                        ctx -> {
                            started.add(ctx.taskId());
                            return Map.of("after", ctx.dependencyResults().keySet());
                        }),
                null);
        DroverClient client = cluster.client();

        client.submit(TaskSpec.builder("gated").id("a").build()).join();
        client.submit(TaskSpec.builder("step").id("b").dependsOn("a").build()).join();
        client.submit(TaskSpec.builder("step").id("c").dependsOn("b").build()).join();
        await().atMost(WAIT).until(() -> gate.executions.size() == 1);

        assertThat(state(client, "b").state()).isEqualTo(TaskState.WAITING);
        assertThat(state(client, "c").state()).isEqualTo(TaskState.WAITING);
        gate.open();
        TaskStatus c = client.await("c", WAIT);

        assertThat(c.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(started).containsExactly("b", "c");
        assertThat(c.result().get("after").get(0).asText()).isEqualTo("b");
        assertThat(state(client, "b").finishedAtMs())
                .isLessThanOrEqualTo(c.startedAtMs())
                .isGreaterThanOrEqualTo(state(client, "a").finishedAtMs());
    }

    @Test
    void aFailedDependency_cancelsItsDependents_namingIt_andTheCancellationCascades()
            throws Exception {
        cluster.coordinator("c1");
        cluster.worker(
                "w1",
                2,
                Map.of(
                        "boom",
                        ctx -> {
                            throw TaskFailedException.permanent("extract broke");
                        },
                        "step",
                        ctx -> "ran"),
                null);
        DroverClient client = cluster.client();

        client.submit(TaskSpec.builder("boom").id("extract-7").build()).join();
        client.submit(TaskSpec.builder("step").id("report").dependsOn("extract-7").build()).join();
        client.submit(TaskSpec.builder("step").id("mail").dependsOn("report").build()).join();
        TaskStatus mail = client.await("mail", WAIT);
        TaskStatus report = client.await("report", WAIT);

        assertThat(client.await("extract-7", WAIT).state()).isEqualTo(TaskState.FAILED);
        assertThat(report.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(report.error()).isEqualTo("dependency extract-7 FAILED");
        assertThat(mail.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(mail.error()).isEqualTo("dependency report CANCELLED");
        assertThat(report.startedAtMs()).isZero();
    }

    @Test
    void aDependentThatRunsAnyway_runsAfterTheFailure_andSeesNoResultForIt() throws Exception {
        cluster.coordinator("c1");
        AtomicReference<Map<String, JsonNode>> seen = new AtomicReference<>();
        cluster.worker(
                "w1",
                2,
                Map.of(
                        "boom",
                        ctx -> {
                            throw TaskFailedException.permanent("no");
                        },
                        "ok",
                        ctx -> Map.of("n", 1),
                        "cleanup",
                        ctx -> {
                            seen.set(ctx.dependencyResults());
                            return "cleaned";
                        }),
                null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("boom").id("x").build()).join();
        client.submit(TaskSpec.builder("ok").id("y").build()).join();
        client.submit(
                        TaskSpec.builder("cleanup")
                                .id("z")
                                .dependsOn("x", "y")
                                .ifDependencyFails(TaskSpec.IfDependencyFails.RUN)
                                .build())
                .join();

        TaskStatus z = client.await("z", WAIT);

        assertThat(z.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(seen.get()).containsOnlyKeys("x", "y");
        assertThat(seen.get().get("x").isNull()).isTrue();
        assertThat(seen.get().get("y").get("n").asInt()).isEqualTo(1);
    }

    @Test
    void aFanInOfAThousand_endsSucceeded_andItsHandlerSeesEveryResult() throws Exception {
        cluster.coordinator("c1");
        AtomicReference<Map<String, JsonNode>> seen = new AtomicReference<>();
        DroverClient client = cluster.client();
        List<String> parts = new ArrayList<>();
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < TaskSpec.MAX_DEPENDS_ON; i++) {
            parts.add("part-" + i);
            specs.add(TaskSpec.builder("part").id("part-" + i).build());
        }
        client.submitAll(specs).forEach(f -> f.join());
        client.submit(TaskSpec.builder("join").id("join").dependsOn(parts).build()).join();
        // The parts run only now: the leader hears each end as it happens.
        cluster.worker(
                "w1",
                16,
                Map.of(
                        "part",
                        ctx -> Map.of("part", ctx.taskId()),
                        "join",
                        ctx -> {
                            seen.set(ctx.dependencyResults());
                            return ctx.dependencyResults().size();
                        }),
                null);

        TaskStatus join = client.await("join", Duration.ofMinutes(2));

        assertThat(join.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(join.result().asInt()).isEqualTo(1_000);
        assertThat(seen.get().keySet()).containsExactlyElementsOf(parts);
        assertThat(seen.get().get("part-999").get("part").asText()).isEqualTo("part-999");
    }

    @Test
    void dependentsWaitingAcrossALeaderFailover_areReleasedByTheNewLeader() throws Exception {
        CuratorFramework c1Session = ZK.newClient();
        Coordinator c1 = cluster.coordinator(c1Session, "c1", null);
        long firstEpoch = c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        Gate gate = new Gate(false);
        cluster.worker("w1", 4, Map.of("gated", gate, "step", ctx -> "done"), null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("gated").id("root").build()).join();
        for (int i = 0; i < 20; i++) {
            client.submit(TaskSpec.builder("step").id("leaf-" + i).dependsOn("root").build())
                    .join();
        }
        client.submit(TaskSpec.builder("step").id("late").dependsOn("leaf-0", "root").build())
                .join();
        await().atMost(WAIT).until(() -> gate.executions.size() == 1);

        Faults.expireSession(c1Session, ZK.connectString()); // the leader dies as in a crash
        long secondEpoch = c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        gate.open();
        TaskStatus late = client.await("late", WAIT);

        assertThat(secondEpoch).isGreaterThan(firstEpoch);
        assertThat(late.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(late.epoch()).isEqualTo(secondEpoch);
        for (int i = 0; i < 20; i++) {
            assertThat(client.await("leaf-" + i, WAIT).state()).isEqualTo(TaskState.SUCCEEDED);
        }
    }

    @Test
    void retention_keepsADependencyAWaitingTaskStillNeeds_andDeletesWhatNobodyNeeds()
            throws Exception {
        cluster.coordinator(
                ZK.newClient(),
                "c1",
                b -> b.retention(Duration.ZERO).gcInterval(Duration.ofMillis(100)));
        Gate gate = new Gate(false);
        AtomicReference<Map<String, JsonNode>> seen = new AtomicReference<>();
        cluster.worker(
                "w1",
                4,
                Map.of(
                        "gated",
                        gate,
                        "value",
                        ctx -> Map.of("v", ctx.taskId()),
                        "join",
                        ctx -> {
                            seen.set(ctx.dependencyResults());
                            return null;
                        }),
                null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("gated").id("slow").build()).join();
        client.submit(TaskSpec.builder("value").id("needed").build()).join();
        assertThat(client.await("needed", WAIT).state()).isEqualTo(TaskState.SUCCEEDED);
        client.submit(TaskSpec.builder("join").id("join").dependsOn("needed", "slow").build())
                .join();
        client.submit(TaskSpec.builder("value").id("unneeded").build()).join();
        client.await("unneeded", WAIT);

        // Retention ran after both ended: it deleted the one nobody needs, and kept the other.
        await().atMost(WAIT).until(() -> client.store().status("unneeded").join().isEmpty());
        assertThat(client.store().status("needed").join()).isPresent();
        gate.open();
        assertThat(client.await("join", WAIT).state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(seen.get().get("needed").get("v").asText()).isEqualTo("needed");
    }

    @Test
    void waitingTasks_countAsLive_forTheClustersCap() throws Exception {
        cluster.coordinator("c1");
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("nobody-runs-it").id("root").build()).join();
        client.submit(TaskSpec.builder("step").id("waits").dependsOn("root").build()).join();
        DroverClient capped =
                DroverClient.using(
                        ZK.newClient(),
                        cluster.cluster(),
                        StoreOptions.defaults().withMaxLiveTasks(2));

        try {
            assertThatThrownBy(() -> capped.submit(TaskSpec.builder("step").build()).join())
                    .hasCauseInstanceOf(QuotaExceededException.class)
                    .hasMessageContaining("2 live tasks");
        } finally {
            capped.close();
        }
    }

    @Test
    void waitingTasks_countAsLive_forTheirTypesCap() throws Exception {
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient client = cluster.client();
        client.setTypePolicy("capped", TypePolicy.of(0, null).withMaxLiveTasks(3));
        client.submit(TaskSpec.builder("nobody-runs-it").id("root").build()).join();
        List<String> accepted = new ArrayList<>();

        // Only WAITING tasks of the type exist: once the leader has counted them, it is full.
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            try {
                                TaskSpec t = TaskSpec.builder("capped").dependsOn("root").build();
                                accepted.add(client.submit(t).join().taskId());
                                return false;
                            } catch (CompletionException e) {
                                return e.getCause() instanceof QuotaExceededException q
                                        && q.getMessage().startsWith("task type 'capped' has ");
                            }
                        });
        assertThat(accepted.size()).isGreaterThanOrEqualTo(3);
        for (String id : accepted) {
            assertThat(state(client, id).state()).isEqualTo(TaskState.WAITING);
        }
    }

    @Test
    void aDependencyOnATaskThatDoesNotExist_isRefused_namingIt_andWritesNothing() {
        cluster.coordinator("c1");
        DroverClient client = cluster.client();

        assertThatThrownBy(
                        () ->
                                client.submit(
                                                TaskSpec.builder("step")
                                                        .id("orphan")
                                                        .dependsOn("no-such-task")
                                                        .build())
                                        .join())
                .hasCauseInstanceOf(InvalidTaskException.class)
                .hasMessageContaining("dependsOn")
                .hasMessageContaining("no-such-task");
        assertThat(client.store().status("orphan").join()).isEmpty();
    }

    @Test
    void cancellingAWaitingTask_endsIt_andItsDependents() throws Exception {
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("nobody-runs-it").id("root").build()).join();
        client.submit(TaskSpec.builder("step").id("mid").dependsOn("root").build()).join();
        client.submit(TaskSpec.builder("step").id("end").dependsOn("mid").build()).join();

        client.cancel("mid").join();

        TaskStatus mid = client.await("mid", WAIT);
        assertThat(mid.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(mid.error()).isEqualTo("cancelled");
        TaskStatus end = client.await("end", WAIT);
        assertThat(end.error()).isEqualTo("dependency mid CANCELLED");
        DroverPaths paths = new DroverPaths(cluster.cluster());
        CuratorFramework zk = ZK.newClient();
        try {
            assertThat(zk.checkExists().forPath(paths.waiting("mid"))).isNull();
            assertThat(zk.checkExists().forPath(paths.cancel("mid"))).isNull();
        } finally {
            zk.close();
        }
    }

    @Test
    void rerunningACancelledDependent_waitsForItsDependenciesAgain() throws Exception {
        cluster.coordinator("c1");
        java.util.concurrent.atomic.AtomicInteger runs =
                new java.util.concurrent.atomic.AtomicInteger();
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
        client.submit(TaskSpec.builder("flaky").id("a").build()).join();
        client.submit(TaskSpec.builder("step").id("b").dependsOn("a").build()).join();
        assertThat(client.await("b", WAIT).state()).isEqualTo(TaskState.CANCELLED);

        assertThat(client.retry("a").get(10, TimeUnit.SECONDS).state())
                .isEqualTo(TaskState.PENDING);
        assertThat(client.retry("b").get(10, TimeUnit.SECONDS).state())
                .isEqualTo(TaskState.WAITING);

        assertThat(client.await("b", WAIT).state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(client.await("a", WAIT).state()).isEqualTo(TaskState.SUCCEEDED);
    }
}
