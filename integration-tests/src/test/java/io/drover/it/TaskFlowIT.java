package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.RetryPolicy;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.store.SubmitResult;
import io.drover.worker.TaskEvent;
import io.drover.worker.TaskHandler;
import io.drover.worker.Worker;
import io.drover.worker.demo.DemoHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TaskFlowIT extends ClusterIT {
    @Test
    void oneCoordinatorThreeWorkers_run5000Tasks_eachExactlyOnce() throws Exception {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        TaskHandler counting =
                ctx -> {
                    runs.computeIfAbsent(ctx.taskId(), k -> new AtomicInteger()).incrementAndGet();
                    return null;
                };
        Coordinator coordinator = cluster.coordinator("c1");
        List<Worker> workers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            workers.add(cluster.worker("w" + i, 16, Map.of("count", counting), null));
        }
        coordinator.whenLeaderReady().get(30, java.util.concurrent.TimeUnit.SECONDS);
        DroverClient client = cluster.client();

        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            specs.add(TaskSpec.builder("count").id("task-" + i).build());
        }
        List<String> ids = client.submitAll(specs).stream().map(f -> f.join().taskId()).toList();
        List<TaskStatus> done = client.awaitAll(ids, Duration.ofMinutes(3));

        assertThat(done).extracting(TaskStatus::state).containsOnly(TaskState.SUCCEEDED);
        assertThat(runs).hasSize(5000);
        assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(done).extracting(TaskStatus::workerId).contains("w1", "w2", "w3");
    }

    @Test
    void echoTask_resultIsItsPayload_andResubmittingTheSameIdIsIdempotent() throws Exception {
        cluster.coordinator("c1");
        cluster.worker("w1", 2, DemoHandlers.all(), null);
        DroverClient client = cluster.client();
        TaskSpec spec =
                TaskSpec.builder("echo").id("echo-1").payloadJson("{\"hello\":[1,2,3]}").build();

        SubmitResult first = client.submit(spec).join();
        SubmitResult again = client.submit(spec).join();
        TaskStatus done = client.await("echo-1", Duration.ofSeconds(30));

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.result().toString()).isEqualTo("{\"hello\":[1,2,3]}");
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.fencingToken()).isPositive();
    }

    @Test
    void taskTypeNoWorkerSupports_staysPending_whileOtherTasksRun() throws Exception {
        Coordinator coordinator = cluster.coordinator("c1");
        Worker worker = cluster.worker("w1", 2, DemoHandlers.all(), null);
        List<TaskEvent> events = new ArrayList<>();
        worker.addListener(events::add);
        coordinator.whenLeaderReady().get(30, java.util.concurrent.TimeUnit.SECONDS);
        DroverClient client = cluster.client();

        client.submit(TaskSpec.builder("transcode").id("orphan").build()).join();
        client.submit(TaskSpec.builder("noop").id("after-orphan").build()).join();
        TaskStatus ran = client.await("after-orphan", Duration.ofSeconds(30));

        assertThat(ran.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(client.status("orphan").join().state()).isEqualTo(TaskState.PENDING);
        assertThat(events).extracting(TaskEvent::taskId).doesNotContain("orphan");

        // and it runs as soon as a capable worker joins
        cluster.worker("w2", 1, Map.of("transcode", ctx -> "done"), null);
        assertThat(client.await("orphan", Duration.ofSeconds(30)).state())
                .isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void failingHandler_retriedUpToMaxAttempts_thenFailedWithTheLastError() throws Exception {
        cluster.coordinator("c1");
        cluster.worker("w1", 2, DemoHandlers.all(), null);
        DroverClient client = cluster.client();
        client.submit(
                        TaskSpec.builder("fail")
                                .id("doomed")
                                .retry(new RetryPolicy(20, 50, 2.0, false))
                                .build())
                .join();

        TaskStatus done = client.await("doomed", Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(TaskState.FAILED);
        assertThat(done.attempt()).isEqualTo(TaskSpec.DEFAULT_MAX_ATTEMPTS);
        assertThat(done.error()).contains("fail handler failed attempt 3");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(client.status("doomed").join().state())
                                        .isEqualTo(TaskState.FAILED));
    }
}
