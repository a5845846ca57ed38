package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.client.DroverClient;
import io.drover.model.CallCancelledException;
import io.drover.model.CallFailedException;
import io.drover.model.CallTimeoutException;
import io.drover.model.RetryPolicy;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.worker.TaskContext;
import io.drover.worker.TaskFailedException;
import io.drover.worker.TaskHandler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request/response from Java: {@code DroverClient.call} and what it throws. */
class CallIT extends ClusterIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final RetryPolicy QUICK = new RetryPolicy(10, 10, 1.0, false);

    private DroverClient client;
    private io.drover.coordinator.Coordinator leader;

    @BeforeEach
    void startCluster() throws Exception {
        leader = cluster.coordinator("c1");
        leader.whenLeaderReady().get(30, TimeUnit.SECONDS);
        client = cluster.client();
    }

    private void worker(String type, TaskHandler handler) {
        cluster.worker("w1", 2, Map.of(type, handler), null);
    }

    @Test
    void call_returnsTheHandlersResult() throws Exception {
        worker("echo", TaskContext::payload);

        JsonNode result =
                client.call(
                        TaskSpec.builder("echo").payloadJson("{\"hello\":\"world\"}").build(),
                        PATIENCE);

        assertThat(result.get("hello").asText()).isEqualTo("world");
    }

    @Test
    void call_ofATaskThatFailsForGood_throwsCallFailed_thatRetryingCannotHelp() {
        worker(
                "strict",
                ctx -> {
                    throw TaskFailedException.permanent("not a PNG");
                });

        CallFailedException e =
                catchThrowableOfType(
                        CallFailedException.class,
                        () ->
                                client.call(
                                        TaskSpec.builder("strict").id("s1").maxAttempts(3).build(),
                                        PATIENCE));

        assertThat(e.isRetryable()).isFalse();
        assertThat(e.isPermanent()).isTrue();
        assertThat(e.taskId()).isEqualTo("s1");
        assertThat(e.error()).isEqualTo("not a PNG");
        assertThat(e.status().attempt()).isEqualTo(1);
        assertThat(e.getMessage()).contains("failed for good on attempt 1 of 3: not a PNG");
    }

    @Test
    void call_ofATaskThatUsesUpItsAttempts_throwsCallFailed_thatRetryingMayHelp() {
        worker(
                "flaky",
                ctx -> {
                    throw new IllegalStateException("disk busy on attempt " + ctx.attempt());
                });

        CallFailedException e =
                catchThrowableOfType(
                        CallFailedException.class,
                        () ->
                                client.call(
                                        TaskSpec.builder("flaky")
                                                .maxAttempts(2)
                                                .retry(QUICK)
                                                .build(),
                                        PATIENCE));

        assertThat(e.isRetryable()).isTrue();
        assertThat(e.isPermanent()).isFalse();
        assertThat(e.error()).contains("disk busy on attempt 2");
        assertThat(e.getMessage()).contains("failed after all its 2 attempts");
    }

    @Test
    void call_ofATaskSomeoneCancels_throwsCallCancelled_notRetryable() throws Exception {
        Gate gate = new Gate(false);
        worker("slow", gate);
        CompletableFuture<Throwable> calling =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                client.call(TaskSpec.builder("slow").id("c1").build(), PATIENCE);
                                return null;
                            } catch (Exception e) {
                                return e;
                            }
                        });
        await().atMost(PATIENCE).until(() -> gate.executions.size() == 1);

        client.cancel("c1").join();

        Throwable thrown = calling.get(30, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(CallCancelledException.class);
        CallCancelledException e = (CallCancelledException) thrown;
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.taskId()).isEqualTo("c1");
        assertThat(e.status().state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void call_thatOutlivesItsTimeout_throwsCallTimeout_retryable_andTheTaskStillRuns()
            throws Exception {
        CallTimeoutException e =
                catchThrowableOfType(
                        CallTimeoutException.class,
                        () ->
                                client.call(
                                        TaskSpec.builder("later").id("t1").payloadJson("7").build(),
                                        Duration.ofMillis(300)));

        assertThat(e.isRetryable()).isTrue();
        assertThat(e.taskId()).isEqualTo("t1");
        assertThat(e.status().state()).isEqualTo(TaskState.PENDING);
        assertThat(e.getMessage()).contains("may still run");

        // the caller keeps waiting by the id the exception carries; calling again finds the task
        worker("later", TaskContext::payload);
        assertThat(
                        client.call(
                                        TaskSpec.builder("later").id("t1").payloadJson("7").build(),
                                        PATIENCE)
                                .asInt())
                .isEqualTo(7);
        assertThat(client.await(e.taskId(), PATIENCE).state()).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void call_waitingAcrossALeaderFailover_getsTheResultTheNewLeaderSawThrough() throws Exception {
        long firstEpoch = leader.whenLeaderReady().get(30, TimeUnit.SECONDS);
        io.drover.coordinator.Coordinator c2 = cluster.coordinator("c2");
        Gate gate = new Gate(false);
        cluster.worker("w1", 2, Map.of("gated", gate), null);
        CompletableFuture<JsonNode> call =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return client.call(
                                        TaskSpec.builder("gated").id("g1").build(), PATIENCE);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException(e);
                            }
                        });
        await().atMost(PATIENCE).until(() -> gate.executions.size() == 1);

        leader.close(); // the leader steps down mid-call; the standby takes office
        long secondEpoch = c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        gate.open();

        assertThat(secondEpoch).isGreaterThan(firstEpoch);
        assertThat(call.get(30, TimeUnit.SECONDS).get("ranOn").asText()).isEqualTo("w1");
        assertThat(client.status("g1").join().state()).isEqualTo(TaskState.SUCCEEDED);
    }
}
