package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.client.DroverClient;
import io.drover.model.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * FIFO within a priority holds inside a batch: one submit time for the whole batch no longer means
 * id order.
 */
class BatchOrderIT extends ClusterIT {

    @Test
    void oneBatch_runsInSubmissionOrder_evenWhenItsIdsSortTheOtherWay() throws Exception {
        io.drover.coordinator.Coordinator leader = cluster.coordinator("c1");
        leader.whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient client = cluster.client();
        List<TaskSpec> batch = new ArrayList<>();
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = "t-" + (999 - i); // id order is the reverse of submission order
            batch.add(TaskSpec.builder("ordered").id(id).build());
            submitted.add(id);
        }
        client.submitAll(batch).forEach(f -> f.join());
        // Order is the leader's to keep among the entries it has read: a worker that comes while
        // it has read only some would rightly get the first of those. So the worker comes after.
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                leader.leaderStats()
                                                .map(
                                                        s ->
                                                                s.pendingByType()
                                                                        .getOrDefault(
                                                                                "ordered", 0L))
                                                .orElse(0L)
                                        == 30L);
        List<String> ran = new CopyOnWriteArrayList<>();

        cluster.worker(
                "w1",
                1,
                java.util.Map.of(
                        "ordered",
                        ctx -> {
                            ran.add(ctx.taskId());
                            return null;
                        }),
                null);
        client.awaitAll(submitted, Duration.ofSeconds(30));

        assertThat(ran).containsExactlyElementsOf(submitted);
    }
}
