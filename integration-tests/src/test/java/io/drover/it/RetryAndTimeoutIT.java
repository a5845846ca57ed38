package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.RetryPolicy;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.worker.TaskFailedException;
import io.drover.worker.TaskHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryAndTimeoutIT extends ClusterIT {
    /**
     * Fails the first {@code failures} attempts, recording when each attempt started and failed.
     */
    static final class Flaky implements TaskHandler {
        final int failures;
        final List<long[]> attempts = new CopyOnWriteArrayList<>();

        Flaky(int failures) {
            this.failures = failures;
        }

        @Override
        public Object handle(io.drover.worker.TaskContext ctx) throws Exception {
            long start = System.currentTimeMillis();
            if (ctx.attempt() <= failures) {
                attempts.add(new long[] {start, System.currentTimeMillis()});
                throw new IllegalStateException("flaky failure on attempt " + ctx.attempt());
            }
            attempts.add(new long[] {start, -1});
            return "ok on attempt " + ctx.attempt();
        }
    }

    @Test
    void failingTwice_retriedAfterExponentialBackoff_succeedsOnTheThirdAttempt() throws Exception {
        Flaky flaky = new Flaky(2);
        cluster.coordinator("c1");
        cluster.worker("w1", 2, Map.of("flaky", flaky), null);
        DroverClient client = cluster.client();
        RetryPolicy backoff = new RetryPolicy(200, 1_000, 2.0, false);
        client.submit(TaskSpec.builder("flaky").id("f1").maxAttempts(3).retry(backoff).build())
                .join();

        TaskStatus done = client.await("f1", Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(3);
        assertThat(flaky.attempts).hasSize(3);
        // attempt n+1 never starts before attempt n failed plus its backoff (200 ms, then 400 ms)
        assertThat(flaky.attempts.get(1)[0]).isGreaterThanOrEqualTo(flaky.attempts.get(0)[1] + 200);
        assertThat(flaky.attempts.get(2)[0]).isGreaterThanOrEqualTo(flaky.attempts.get(1)[1] + 400);
    }

    @Test
    void alwaysFailing_neverExceedsMaxAttempts() throws Exception {
        Flaky flaky = new Flaky(Integer.MAX_VALUE);
        cluster.coordinator("c1");
        cluster.worker("w1", 2, Map.of("flaky", flaky), null);
        cluster.worker("w2", 2, Map.of("flaky", flaky), null);
        DroverClient client = cluster.client();
        client.submit(
                        TaskSpec.builder("flaky")
                                .id("poison")
                                .maxAttempts(4)
                                .retry(new RetryPolicy(10, 20, 2.0, true))
                                .build())
                .join();

        TaskStatus done = client.await("poison", Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(TaskState.FAILED);
        assertThat(done.attempt()).isEqualTo(4);
        assertThat(flaky.attempts).hasSize(4);
        assertThat(done.error()).isEqualTo("IllegalStateException: flaky failure on attempt 4");
    }

    @Test
    void permanentFailure_isNotRetried() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        cluster.coordinator("c1");
        cluster.worker(
                "w1",
                1,
                Map.of(
                        "strict",
                        ctx -> {
                            runs.incrementAndGet();
                            throw TaskFailedException.permanent("payload is not an image");
                        }),
                null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("strict").id("bad-input").maxAttempts(5).build()).join();

        TaskStatus done = client.await("bad-input", Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(TaskState.FAILED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.error()).isEqualTo("payload is not an image");
        assertThat(runs).hasValue(1);
    }

    @Test
    void handlerOverItsTimeout_isInterruptedAndTheAttemptFails() throws Exception {
        AtomicInteger interrupted = new AtomicInteger();
        cluster.coordinator("c1");
        cluster.worker(
                "w1",
                1,
                Map.of(
                        "slow",
                        ctx -> {
                            try {
                                new java.util.concurrent.CountDownLatch(1)
                                        .await(); // blocks until interrupted
                            } catch (InterruptedException e) {
                                interrupted.incrementAndGet();
                                throw e;
                            }
                            return null;
                        }),
                null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("slow").id("too-slow").timeoutMs(300).maxAttempts(1).build())
                .join();

        TaskStatus done = client.await("too-slow", Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(TaskState.FAILED);
        assertThat(done.error()).isEqualTo("timed out after 300 ms");
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> interrupted.get() == 1);
    }

    @Test
    void backoffWakeUp_survivesLeaderFailover() throws Exception {
        Flaky flaky = new Flaky(1);
        Coordinator c1 = cluster.coordinator("c1");
        c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        cluster.worker("w1", 1, Map.of("flaky", flaky), null);
        DroverClient client = cluster.client();
        client.submit(
                        TaskSpec.builder("flaky")
                                .id("across")
                                .retry(new RetryPolicy(1_500, 1_500, 1.0, false))
                                .build())
                .join();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> flaky.attempts.size() == 1);

        c1.close(); // the leader that would have woken the retry goes away mid-backoff
        c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        TaskStatus done = client.await("across", Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(flaky.attempts.get(1)[0])
                .isGreaterThanOrEqualTo(flaky.attempts.get(0)[1] + 1_500);
    }
}
