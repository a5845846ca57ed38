package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.PendingExplanation;
import io.drover.coordinator.Coordinator;
import io.drover.model.BreakerState;
import io.drover.model.CircuitBreakerPolicy;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.TypePolicy;
import io.drover.worker.TaskFailedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a type's tasks do while its circuit breaker is open: fail fast, or run as a fallback. */
class BreakerWhenOpenIT extends ClusterIT {
    private static final CircuitBreakerPolicy TWO_FAILURES_OPEN_A_MINUTE =
            new CircuitBreakerPolicy(1.0, 2, 2, 60_000);

    /** Two tasks of the type fail on a worker that only fails them: the breaker opens. */
    private void openTheBreaker(DroverClient client, String type) throws Exception {
        cluster.worker(
                "failing-" + type,
                2,
                Map.of(
                        type,
                        ctx -> {
                            throw TaskFailedException.permanent("downstream is down");
                        }),
                null);
        client.awaitAll(
                List.of(
                        client.submit(
                                        TaskSpec.builder(type)
                                                .id(type + "-bad1")
                                                .maxAttempts(1)
                                                .build())
                                .join()
                                .taskId(),
                        client.submit(
                                        TaskSpec.builder(type)
                                                .id(type + "-bad2")
                                                .maxAttempts(1)
                                                .build())
                                .join()
                                .taskId()),
                Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.breakerState(type).state() == BreakerState.State.OPEN);
    }

    @Test
    void failFast_failsThePendingAndTheNewTasks_withAClearError_acrossALeaderFailover()
            throws Exception {
        Coordinator c1 = cluster.coordinator("c1");
        c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        DroverClient client = cluster.client();
        client.setTypePolicy(
                "fragile",
                TypePolicy.of(0, TWO_FAILURES_OPEN_A_MINUTE)
                        .whenOpen(TypePolicy.WhenOpen.FAIL_FAST, null));
        for (int i = 0; i < 3; i++) { // pending: no worker has the zone they need
            client.submit(
                            TaskSpec.builder("fragile")
                                    .id("waiting" + i)
                                    .requireLabel("zone", "elsewhere")
                                    .build())
                    .join();
        }

        openTheBreaker(client, "fragile");
        List<TaskStatus> waiting =
                client.awaitAll(
                        List.of("waiting0", "waiting1", "waiting2"), Duration.ofSeconds(30));
        c1.close();
        client.submit(TaskSpec.builder("fragile").id("during-failover").build()).join();
        c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        client.submit(TaskSpec.builder("fragile").id("after-failover").build()).join();
        List<TaskStatus> later =
                client.awaitAll(
                        List.of("during-failover", "after-failover"), Duration.ofSeconds(30));

        String why = "circuit breaker of type fragile is open (failure rate 1.0); failing fast";
        assertThat(waiting)
                .allSatisfy(
                        s -> {
                            assertThat(s.state()).isEqualTo(TaskState.FAILED);
                            assertThat(s.error()).isEqualTo(why);
                            assertThat(s.attempts()).as("none ran").isEmpty();
                        });
        assertThat(later)
                .as("the new leader fails fast too")
                .allSatisfy(
                        s -> {
                            assertThat(s.state()).isEqualTo(TaskState.FAILED);
                            assertThat(s.error()).isEqualTo(why);
                        });
    }

    @Test
    void fallback_runsTheTasksWithTheFallbackHandler_andMarksThem_acrossALeaderFailover()
            throws Exception {
        Coordinator c1 = cluster.coordinator("c1");
        c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        DroverClient client = cluster.client();
        client.setTypePolicy(
                "render",
                TypePolicy.of(0, TWO_FAILURES_OPEN_A_MINUTE)
                        .whenOpen(TypePolicy.WhenOpen.FALLBACK, "render-lite"));
        openTheBreaker(client, "render");
        long openedAt = client.breakerState("render").changedAtMs();

        client.submit(TaskSpec.builder("render").id("f1").build()).join();
        PendingExplanation noLite = client.explain("f1");
        cluster.worker(
                "lite",
                2,
                Map.of("render-lite", ctx -> "lite ran " + ctx.type() + " " + ctx.taskId()),
                null);
        TaskStatus f1 = client.await("f1", Duration.ofSeconds(30));
        c1.close();
        c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        client.submit(TaskSpec.builder("render").id("f2").build()).join();
        TaskStatus f2 = client.await("f2", Duration.ofSeconds(30));

        assertThat(noLite.reason()).isEqualTo(PendingExplanation.Reason.NO_CAPABLE_WORKER);
        assertThat(noLite.detail())
                .startsWith("no active worker handles type render-lite, the fallback of")
                .contains("circuit breaker of type render is OPEN");
        for (TaskStatus s : List.of(f1, f2)) {
            assertThat(s.state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(s.type()).isEqualTo("render");
            assertThat(s.runAs()).isEqualTo("render-lite");
            assertThat(s.workerId()).isEqualTo("lite");
            assertThat(s.result().asText()).isEqualTo("lite ran render " + s.taskId());
        }
        assertThat(client.breakerState("render").state())
                .as("a fallback's success does not close the type's breaker")
                .isEqualTo(BreakerState.State.OPEN);
        assertThat(client.breakerState("render").changedAtMs()).isEqualTo(openedAt);
    }
}
