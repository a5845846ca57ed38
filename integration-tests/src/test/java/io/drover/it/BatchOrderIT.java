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
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient client = cluster.client();
        List<TaskSpec> batch = new ArrayList<>();
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = "t-" + (999 - i); // id order is the reverse of submission order
            batch.add(TaskSpec.builder("ordered").id(id).build());
            submitted.add(id);
        }
        client.submitAll(batch).forEach(f -> f.join());
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
