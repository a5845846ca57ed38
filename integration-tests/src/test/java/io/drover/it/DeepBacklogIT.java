package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A backlog deeper than a shape's head of 1,000 whole entries: the leader holds the rest as keys
 * and reads them again as the head drains. Nothing is lost, nothing runs out of order, a task deep
 * in the backlog can be cancelled, and a new leader holds the backlog the same way.
 */
class DeepBacklogIT extends ClusterIT {
    private static final int DEPTH = 1_600;

    @Test
    void backlogBehindTheHead_deepTaskCancelled_restRunsOnceInKeyOrder_afterALeaderChange()
            throws Exception {
        Coordinator c1 = cluster.coordinator("c1");
        c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        DroverClient client = cluster.client();
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < DEPTH; i++) {
            specs.add(TaskSpec.builder("later").id(String.format("d-%04d", i)).build());
        }
        List<String> ids = client.submitAll(specs).stream().map(f -> f.join().taskId()).toList();
        client.submit(TaskSpec.builder("later").id("deep").build()).join(); // sorts behind all

        client.cancel("deep").join();
        assertThat(client.await("deep", Duration.ofSeconds(30)).state())
                .isEqualTo(TaskState.CANCELLED);

        c1.close(); // the standby lists the backlog into an index of its own
        c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        List<String> ran = new CopyOnWriteArrayList<>();
        cluster.worker(
                "w1",
                1, // one at a time: the order tasks run in is the order they were dispatched in
                Map.of(
                        "later",
                        ctx -> {
                            ran.add(ctx.taskId());
                            return null;
                        }),
                null);
        List<TaskStatus> done = client.awaitAll(ids, Duration.ofMinutes(2));

        assertThat(done).extracting(TaskStatus::state).containsOnly(TaskState.SUCCEEDED);
        List<String> keyOrder =
                done.stream()
                        .sorted(
                                Comparator.comparingLong(TaskStatus::submittedAtMs)
                                        .thenComparingLong(TaskStatus::submitSeq))
                        .map(TaskStatus::taskId)
                        .toList();
        assertThat(ran).containsExactlyElementsOf(keyOrder);
    }
}
