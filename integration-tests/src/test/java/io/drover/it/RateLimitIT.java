package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.client.PendingExplanation;
import io.drover.coordinator.Coordinator;
import io.drover.model.RateLimit;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.TypePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A type's rate limit, measured by counts on the leader's own clock (the {@code assignedAtMs} each
 * task records is the time of the dispatch pass that spent its token), never by how long anything
 * took.
 */
class RateLimitIT extends ClusterIT {
    private static final double RATE = 8;
    private static final int BURST = 3;

    /** Over every window between two starts, at most {@code burst + rate × t} started. */
    private static void assertNoWindowExceedsTheLimit(List<TaskStatus> done) {
        List<Long> starts = done.stream().map(TaskStatus::assignedAtMs).sorted().toList();
        for (int i = 0; i < starts.size(); i++) {
            for (int j = i; j < starts.size(); j++) {
                double seconds = (starts.get(j) - starts.get(i)) / 1_000.0;
                assertThat(j - i + 1)
                        .as("tasks started from %d ms to %d ms", starts.get(i), starts.get(j))
                        .isLessThanOrEqualTo((int) Math.floor(BURST + RATE * seconds + 1e-9));
            }
        }
    }

    private List<String> submit(DroverClient client, String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(
                    client.submit(TaskSpec.builder("metered").id(prefix + i).maxAttempts(1).build())
                            .join()
                            .taskId());
        }
        return ids;
    }

    @Test
    void rateLimit_neverMoreThanBurstPlusRateTimesTimeStart_andANewLeaderKeepsLimiting()
            throws Exception {
        Coordinator c1 = cluster.coordinator("c1");
        c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        DroverClient client = cluster.client();
        client.setTypePolicy(
                "metered", TypePolicy.of(0, null).withRateLimit(new RateLimit(RATE, BURST)));
        // room for every task at once: only the rate holds them back
        cluster.worker("w1", 100, Map.of("metered", ctx -> ctx.taskId()), null);
        List<String> first = submit(client, "a", 24);
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                first.stream()
                                                .filter(
                                                        id ->
                                                                client.status(id).join().state()
                                                                        != TaskState.PENDING)
                                                .count()
                                        >= 6);

        c1.close(); // a failover mid-stream, tasks still waiting
        c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        List<String> all = new ArrayList<>(first);
        all.addAll(submit(client, "b", 16));
        List<TaskStatus> done = client.awaitAll(all, Duration.ofSeconds(60));

        assertThat(done).extracting(TaskStatus::state).containsOnly(TaskState.SUCCEEDED);
        assertThat(done.stream().filter(s -> s.epoch() > done.get(0).epoch()).count())
                .as("the new leader started some of them")
                .isPositive();
        assertNoWindowExceedsTheLimit(done);
    }

    @Test
    void explain_namesTheRateLimit_whenItHoldsATaskBack_andLiftingItLetsAllGo() throws Exception {
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient client = cluster.client();
        client.setTypePolicy(
                "metered", TypePolicy.of(0, null).withRateLimit(new RateLimit(0.5, 1)));
        cluster.worker("w1", 10, Map.of("metered", ctx -> null), null);
        List<String> ids = submit(client, "e", 6);

        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                client.explain("e5").reason()
                                        == PendingExplanation.Reason.RATE_LIMITED);
        PendingExplanation why = client.explain("e5");
        client.setTypePolicy("metered", TypePolicy.of(0, null));
        List<TaskStatus> done = client.awaitAll(ids, Duration.ofSeconds(30));

        assertThat(why.detail())
                .contains("type metered is limited to 30/m, burst 1")
                .contains("capable workers have room");
        assertThat(done).extracting(TaskStatus::state).containsOnly(TaskState.SUCCEEDED);
    }
}
