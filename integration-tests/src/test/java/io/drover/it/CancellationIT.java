package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.CancelResult;
import io.drover.client.DroverClient;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.worker.TaskEvent;
import io.drover.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CancellationIT extends ClusterIT {
    @Test
    void pendingTask_cancelledByTheLeader() throws Exception {
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("nobody-runs-this").id("p1").build()).join();

        CancelResult result = client.cancel("p1").join();
        TaskStatus done = client.await("p1", Duration.ofSeconds(30));

        assertThat(result.outcome()).isEqualTo(CancelResult.Outcome.REQUESTED);
        assertThat(result.state()).isEqualTo(TaskState.PENDING);
        assertThat(done.state()).isEqualTo(TaskState.CANCELLED);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                ZK.newClient()
                                                .checkExists()
                                                .forPath(client.store().paths().cancel("p1"))
                                        == null);
    }

    @Test
    void runningTask_workerInterruptsTheHandler_andCommitsCancelled() throws Exception {
        Gate gate = new Gate(false);
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        Worker w1 = cluster.worker("w1", 1, Map.of("slow", gate), null);
        List<TaskEvent> events = new CopyOnWriteArrayList<>();
        w1.addListener(events::add);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("slow").id("r1").build()).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.executionsOn("w1") == 1);

        client.cancel("r1").join();
        TaskStatus done = client.await("r1", Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(done.workerId()).isEqualTo("w1");
        assertThat(gate.finished)
                .isEmpty(); // the handler was interrupted, it did not run to the end
        assertThat(events).extracting(TaskEvent::kind).contains(TaskEvent.Kind.COMMITTED);
        assertThat(gate.executions).hasSize(1);
    }

    @Test
    void
            runningHandlerIgnoresInterrupts_cancelledAfterTheGraceDeadline_itsLateResultNeverCommitted()
                    throws Exception {
        Gate gate = new Gate(true);
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        Worker w1 =
                cluster.worker(
                        "w1",
                        1,
                        Map.of("stubborn", gate),
                        b -> b.cancelGrace(Duration.ofMillis(300)));
        List<TaskEvent> events = new CopyOnWriteArrayList<>();
        w1.addListener(events::add);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("stubborn").id("s1").build()).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.executionsOn("w1") == 1);

        client.cancel("s1").join();
        TaskStatus done = client.await("s1", Duration.ofSeconds(30));
        gate.open(); // the stubborn handler finally returns a result
        await().atMost(Duration.ofSeconds(10))
                .until(() -> gate.finished.getOrDefault("w1", 0) == 1);

        assertThat(done.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(done.error()).contains("did not stop within 300 ms");
        assertThat(client.status("s1").join()).isEqualTo(done);
        assertThat(events).filteredOn(e -> e.kind() == TaskEvent.Kind.COMMITTED).hasSize(1);
        // its slot came back once the handler returned: the worker runs new work
        client.submit(TaskSpec.builder("stubborn").id("s2").build()).join();
        assertThat(client.await("s2", Duration.ofSeconds(30)).state())
                .isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void terminalTask_cancelIsAClearNoOp() throws Exception {
        cluster.coordinator("c1");
        cluster.worker("w1", 1, Map.of("quick", ctx -> "done"), null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("quick").id("q1").build()).join();
        client.await("q1", Duration.ofSeconds(30));

        CancelResult result = client.cancel("q1").join();

        assertThat(result.outcome()).isEqualTo(CancelResult.Outcome.ALREADY_TERMINAL);
        assertThat(result.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(client.status("q1").join().state()).isEqualTo(TaskState.SUCCEEDED);
    }
}
