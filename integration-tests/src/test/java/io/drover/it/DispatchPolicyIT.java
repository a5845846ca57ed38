package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.PendingExplanation;
import io.drover.coordinator.Coordinator;
import io.drover.model.BreakerState;
import io.drover.model.CircuitBreakerPolicy;
import io.drover.model.RetryPolicy;
import io.drover.model.TaskConflictException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.TypePolicy;
import io.drover.store.SubmitResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DispatchPolicyIT extends ClusterIT {
    @Test
    void higherPriorityFirst_fifoWithinAPriority_acrossALeaderFailover() throws Exception {
        Coordinator c1 = cluster.coordinator("c1");
        c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        DroverClient client = cluster.client();
        int[] priorities = {1, 5, 3, 5, 1, 3};
        for (int i = 0; i < priorities.length; i++) {
            client.submit(
                            TaskSpec.builder("ordered")
                                    .id("p" + i)
                                    .priority(priorities[i])
                                    .build()
                                    .withSubmittedAtMs(1_000 + i))
                    .join();
        }
        c1.close();
        c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        List<String> order = new CopyOnWriteArrayList<>();

        cluster.worker("single", 1, Map.of("ordered", ctx -> order.add(ctx.taskId())), null);
        client.awaitAll(List.of("p0", "p1", "p2", "p3", "p4", "p5"), Duration.ofSeconds(30));

        assertThat(order).containsExactly("p1", "p3", "p2", "p5", "p0", "p4");
    }

    @Test
    void delayedTask_doesNotStartBeforeItsTime() throws Exception {
        cluster.coordinator("c1");
        cluster.worker("w1", 1, Map.of("later", ctx -> "ran"), null);
        DroverClient client = cluster.client();
        long notBefore = System.currentTimeMillis() + 700;

        client.submit(TaskSpec.builder("later").id("d1").notBeforeMs(notBefore).build()).join();
        PendingExplanation why = client.explain("d1");
        TaskStatus done = client.await("d1", Duration.ofSeconds(30));

        assertThat(why.reason()).isEqualTo(PendingExplanation.Reason.NOT_BEFORE);
        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.startedAtMs()).isGreaterThanOrEqualTo(notBefore);
    }

    @Test
    void sameIdempotencyKey_returnsTheFirstTask_differentSpecIsAConflict() {
        DroverClient client = cluster.client();
        TaskSpec first =
                TaskSpec.builder("charge")
                        .idempotencyKey("order-17/charge")
                        .payloadJson("{\"cents\":500}")
                        .build();

        SubmitResult a = client.submit(first).join();
        SubmitResult b =
                client.submit(
                                TaskSpec.builder("charge")
                                        .idempotencyKey("order-17/charge")
                                        .payloadJson("{\"cents\":500}")
                                        .build())
                        .join();

        assertThat(a.created()).isTrue();
        assertThat(b.created()).isFalse();
        assertThat(b.taskId())
                .isEqualTo(a.taskId())
                .isEqualTo(TaskSpec.idForKey("order-17/charge"));
        assertThatThrownBy(
                        () ->
                                client.submit(
                                                TaskSpec.builder("charge")
                                                        .idempotencyKey("order-17/charge")
                                                        .payloadJson("{\"cents\":900}")
                                                        .build())
                                        .join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(TaskConflictException.class);
    }

    @Test
    void chattyHandler_progressIsThrottled_andTheWaitSeesIt() throws Exception {
        cluster.coordinator("c1");
        AtomicBoolean release = new AtomicBoolean();
        cluster.worker(
                "w1",
                1,
                Map.of(
                        "chatty",
                        ctx -> {
                            for (int i = 0; i <= 1_000; i++) {
                                ctx.reportProgress(i / 10, "step " + i);
                            }
                            await().atMost(Duration.ofSeconds(20)).untilTrue(release);
                            return "done";
                        }),
                b -> b.progressInterval(Duration.ofMillis(100)));
        DroverClient client = cluster.client();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        client.submit(TaskSpec.builder("chatty").id("c1").build()).join();
        var finished =
                client.whenDone(
                        "c1",
                        s -> {
                            if (s.progress() != null) {
                                seen.add(s.progress().percent());
                            }
                        });

        await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains(100));
        release.set(true);
        TaskStatus done = finished.get(30, TimeUnit.SECONDS);

        assertThat(done.progress().percent()).isEqualTo(100);
        assertThat(done.progress().message()).isEqualTo("step 1000");
        // create, ASSIGNED, RUNNING, terminal = 3 versions; the rest are progress writes: far fewer
        // than 1,001 reports
        int progressWrites = client.store().status("c1").join().orElseThrow().version() - 3;
        assertThat(progressWrites)
                .isBetween(1, 20); // one per 100 ms interval while the loop runs, plus the last
    }

    @Test
    void typeConcurrencyLimit_holdsAcrossTheCluster() throws Exception {
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient client = cluster.client();
        client.setTypePolicy("scarce", TypePolicy.of(2, null));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        var handler =
                (io.drover.worker.TaskHandler)
                        ctx -> {
                            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                            java.util.concurrent.locks.LockSupport.parkNanos(
                                    30_000_000); // 30 ms of work
                            running.decrementAndGet();
                            return null;
                        };
        for (int i = 1; i <= 3; i++) {
            cluster.worker("w" + i, 5, Map.of("scarce", handler), null);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(client.submit(TaskSpec.builder("scarce").id("s" + i).build()).join().taskId());
        }

        List<TaskStatus> done = client.awaitAll(ids, Duration.ofSeconds(60));

        assertThat(done).extracting(TaskStatus::state).containsOnly(TaskState.SUCCEEDED);
        assertThat(maxRunning.get()).isBetween(1, 2);
    }

    @Test
    void circuitBreaker_opensOnFailures_probesHalfOpen_closesOnSuccess_stateVisible()
            throws Exception {
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient client = cluster.client();
        client.setTypePolicy(
                "fragile", TypePolicy.of(0, new CircuitBreakerPolicy(0.5, 4, 4, 1_000)));
        AtomicBoolean healthy = new AtomicBoolean(false);
        List<String> ran = new CopyOnWriteArrayList<>();
        cluster.worker(
                "w1",
                4,
                Map.of(
                        "fragile",
                        ctx -> {
                            ran.add(ctx.taskId());
                            if (!healthy.get()) {
                                throw io.drover.worker.TaskFailedException.permanent(
                                        "downstream is down");
                            }
                            return "ok";
                        }),
                null);
        List<String> failing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            failing.add(
                    client.submit(TaskSpec.builder("fragile").id("bad" + i).maxAttempts(1).build())
                            .join()
                            .taskId());
        }
        client.awaitAll(failing, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.breakerState("fragile").state() == BreakerState.State.OPEN);

        client.submit(TaskSpec.builder("fragile").id("held-back").build()).join();
        PendingExplanation why = client.explain("held-back");
        healthy.set(true);
        TaskStatus probe = client.await("held-back", Duration.ofSeconds(30));

        assertThat(why.reason()).isEqualTo(PendingExplanation.Reason.CIRCUIT_OPEN);
        assertThat(probe.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(probe.startedAtMs())
                .isGreaterThanOrEqualTo(client.breakerState("fragile").changedAtMs() - 1_000);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.breakerState("fragile").state() == BreakerState.State.CLOSED);
    }

    @Test
    void openBreaker_survivesLeaderFailover() throws Exception {
        Coordinator c1 = cluster.coordinator("c1");
        c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        DroverClient client = cluster.client();
        client.setTypePolicy(
                "fragile", TypePolicy.of(0, new CircuitBreakerPolicy(1.0, 2, 2, 60_000)));
        cluster.worker(
                "w1",
                2,
                Map.of(
                        "fragile",
                        ctx -> {
                            throw io.drover.worker.TaskFailedException.permanent("down");
                        }),
                null);
        client.awaitAll(
                List.of(
                        client.submit(TaskSpec.builder("fragile").id("x1").maxAttempts(1).build())
                                .join()
                                .taskId(),
                        client.submit(TaskSpec.builder("fragile").id("x2").maxAttempts(1).build())
                                .join()
                                .taskId()),
                Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.breakerState("fragile").state() == BreakerState.State.OPEN);

        c1.close();
        c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        client.submit(TaskSpec.builder("fragile").id("x3").build()).join();

        assertThat(client.explain("x3").reason()).isEqualTo(PendingExplanation.Reason.CIRCUIT_OPEN);
        assertThat(client.status("x3").join().state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void explain_namesWhatHoldsATaskBack() throws Exception {
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("gpu-job").id("e1").requireLabel("gpu", "true").build())
                .join();
        assertThat(client.explain("e1").reason()).isEqualTo(PendingExplanation.Reason.NO_LEADER);

        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        cluster.worker("cpu-only", 1, Map.of("gpu-job", ctx -> null), b -> b.label("gpu", "false"));
        PendingExplanation noWorker = client.explain("e1");
        assertThat(noWorker.reason()).isEqualTo(PendingExplanation.Reason.NO_CAPABLE_WORKER);
        assertThat(noWorker.detail()).contains("gpu-job").contains("gpu=true");

        Gate gate = new Gate(false);
        cluster.worker(
                "gpu", 1, Map.of("gpu-job", gate, "other", gate), b -> b.label("gpu", "true"));
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.executionsOn("gpu") == 1);
        client.submit(TaskSpec.builder("gpu-job").id("e2").requireLabel("gpu", "true").build())
                .join();
        assertThat(client.explain("e2").reason())
                .isEqualTo(PendingExplanation.Reason.ALL_CAPABLE_WORKERS_FULL);
        assertThat(client.explain("e1").reason()).isEqualTo(PendingExplanation.Reason.NOT_PENDING);

        client.setTypePolicy("other", TypePolicy.of(1, null));
        gate.open();
        client.await("e2", Duration.ofSeconds(30));
        Gate second = new Gate(false);
        cluster.worker("gpu2", 2, Map.of("other", second), null);
        client.submit(TaskSpec.builder("other").id("o1").build()).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> second.executions.size() == 1);
        client.submit(TaskSpec.builder("other").id("o2").build()).join();
        assertThat(client.explain("o2").reason())
                .isEqualTo(PendingExplanation.Reason.TYPE_LIMIT_REACHED);
        second.open();
        client.awaitAll(List.of("o1", "o2"), Duration.ofSeconds(30));
    }

    @Test
    void retention_deletesTerminalTasks_footprintReturnsToIdle() throws Exception {
        var zk = ZK.newClient();
        Coordinator c =
                io.drover.coordinator.Coordinator.builder()
                        .client(zk)
                        .cluster(cluster.cluster())
                        .id("gc")
                        .retention(Duration.ZERO)
                        .gcInterval(Duration.ofMillis(200))
                        .build();
        c.start();
        c.whenLeaderReady().get(30, TimeUnit.SECONDS);
        var worker = cluster.worker("w1", 4, Map.of("quick", ctx -> null), null);
        AtomicInteger committed = new AtomicInteger();
        worker.addListener(
                e -> {
                    if (e.kind() == io.drover.worker.TaskEvent.Kind.COMMITTED) {
                        committed.incrementAndGet();
                    }
                });
        DroverClient client = cluster.client();
        String root = client.store().paths().root();
        int idle = countNodes(zk, root);
        for (int i = 0; i < 30; i++) {
            client.submit(
                            TaskSpec.builder("quick")
                                    .id("g" + i)
                                    .retry(new RetryPolicy(1, 1, 1.0, false))
                                    .build())
                    .join();
        }
        // (no awaitAll: with a retention of zero a task may be gone before one could wait for it)
        await().atMost(Duration.ofSeconds(30)).until(() -> committed.get() == 30);

        await().atMost(Duration.ofSeconds(20)).until(() -> countNodes(zk, root) == idle);
        assertThat(client.store().status("g0").join()).isEmpty();
        c.close();
    }

    /**
     * Counted by the server in one call: a walk of the tree would race with retention deleting
     * under it. The leader's published counts ({@code leader/live}: one node, there once the leader
     * has counted any task, ended ones included) are not part of the footprint.
     */
    private static int countNodes(org.apache.curator.framework.CuratorFramework zk, String path)
            throws Exception {
        boolean counts = zk.checkExists().forPath(path + "/leader/live") != null;
        return 1
                + zk.getZookeeperClient().getZooKeeper().getAllChildrenNumber(path)
                - (counts ? 1 : 0);
    }
}
