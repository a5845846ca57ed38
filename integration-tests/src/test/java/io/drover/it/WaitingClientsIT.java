package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.client.DroverClient;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that waits for its own tasks hears about those tasks only, however busy the cluster:
 * ZooKeeper's cost of waiting grows with what a client waits for, not with the cluster's traffic.
 */
class WaitingClientsIT extends ClusterIT {

    @Test
    void clientWaitingForFiveTasks_whileFiveHundredOthersRun_hearsOnlyAboutItsOwn()
            throws Exception {
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        cluster.worker("w1", 16, Map.of("noop", ctx -> null), null);
        DroverClient waiting = cluster.client();
        DroverClient busy = cluster.client();

        // the others' tasks are submitted and awaited by another client while ours wait
        List<String> mine = new ArrayList<>();
        List<CompletableFuture<TaskStatus>> ends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = waiting.submit(TaskSpec.builder("noop").build()).join().taskId();
            mine.add(id);
            ends.add(waiting.whenDone(id, null));
        }
        List<TaskSpec> others = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            others.add(TaskSpec.builder("noop").build());
        }
        List<String> theirs = new ArrayList<>();
        busy.submitAll(others).forEach(f -> theirs.add(f.join().taskId()));
        busy.awaitAll(theirs, Duration.ofSeconds(60));
        for (CompletableFuture<TaskStatus> end : ends) {
            assertThat(end.get(60, TimeUnit.SECONDS).state()).isEqualTo(TaskState.SUCCEEDED);
        }

        // a task's status changes about four times (pending, assigned, running, succeeded); the
        // busy client's 500 tasks would have been 2,000 more notifications with a watch on all
        assertThat(waiting.statusNotifications()).isBetween(1L, 5L * 6);
        assertThat(busy.statusNotifications()).isLessThanOrEqualTo(500L * 6);
    }
}
