package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.model.RetryPolicy;
import io.drover.model.TaskAttempt;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.testkit.Faults;
import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/**
 * The attempt history as workers and the leader write it: in the status writes that happen anyway,
 * with the workers, outcomes and fencing tokens the handlers saw.
 */
class AttemptHistoryIT extends ClusterIT {
    /** Fails its first two executions; records the worker and token of each. */
    static final class FailsTwice implements TaskHandler {
        final List<Gate.Execution> runs = new CopyOnWriteArrayList<>();

        @Override
        public Object handle(TaskContext ctx) {
            runs.add(
                    new Gate.Execution(
                            ctx.taskId(), ctx.attempt(), ctx.workerId(), ctx.fencingToken()));
            if (runs.size() <= 2) {
                throw new IllegalStateException("failure " + runs.size());
            }
            return "ok";
        }
    }

    @Test
    void taskFailingTwiceThenSucceeding_showsThreeAttemptsWithOutcomesWorkersAndTokens()
            throws Exception {
        FailsTwice handler = new FailsTwice();
        cluster.coordinator("c1");
        cluster.worker("w1", 1, Map.of("flaky", handler), null);
        cluster.worker("w2", 1, Map.of("flaky", handler), null);
        DroverClient client = cluster.client();
        client.submit(
                        TaskSpec.builder("flaky")
                                .id("thrice")
                                .maxAttempts(3)
                                .retry(new RetryPolicy(10, 20, 2.0, false))
                                .build())
                .join();

        TaskStatus done = client.await("thrice", Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        List<Gate.Execution> runs = handler.runs;
        assertThat(done.attempts())
                .extracting(
                        TaskAttempt::series,
                        TaskAttempt::attempt,
                        TaskAttempt::workerId,
                        TaskAttempt::outcome,
                        TaskAttempt::error,
                        TaskAttempt::fencingToken)
                .containsExactly(
                        tuple(
                                1,
                                1,
                                runs.get(0).workerId(),
                                "FAILED",
                                "IllegalStateException: failure 1",
                                runs.get(0).fencingToken()),
                        tuple(
                                1,
                                2,
                                runs.get(1).workerId(),
                                "FAILED",
                                "IllegalStateException: failure 2",
                                runs.get(1).fencingToken()),
                        tuple(
                                1,
                                3,
                                runs.get(2).workerId(),
                                "SUCCEEDED",
                                null,
                                done.fencingToken()));
        assertThat(done.attempts())
                .allSatisfy(
                        a -> {
                            assertThat(a.startedAtMs()).isPositive();
                            assertThat(a.endedAtMs()).isGreaterThanOrEqualTo(a.startedAtMs());
                        });
        assertThat(runs.get(2).fencingToken()).isEqualTo(done.fencingToken());
    }

    @Test
    void workerKilledMidTask_showsALostAttempt_thenASuccessfulOneOnAnotherWorker()
            throws Exception {
        Gate gate = new Gate(true);
        cluster.coordinator("c1").whenLeaderReady().get();
        CuratorFramework w1Session = ZK.newClient();
        cluster.worker(w1Session, "w1", 1, Map.of("slow", gate), null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("slow").id("victim").build()).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.executionsOn("w1") == 1);
        assertThat(client.status("victim").join().attempts())
                .extracting(TaskAttempt::workerId, TaskAttempt::outcome)
                .containsExactly(tuple("w1", "RUNNING"));

        Faults.expireSession(w1Session, ZK.connectString());
        cluster.worker("w2", 1, Map.of("slow", gate), null);
        await().atMost(Duration.ofSeconds(30)).until(() -> gate.executionsOn("w2") == 1);
        gate.open();
        TaskStatus done = client.await("victim", Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        Gate.Execution first = gate.executions.get(0);
        Gate.Execution second = gate.executions.get(1);
        assertThat(done.attempts())
                .extracting(
                        TaskAttempt::attempt,
                        TaskAttempt::workerId,
                        TaskAttempt::outcome,
                        TaskAttempt::fencingToken)
                .containsExactly(
                        tuple(1, "w1", "LOST", first.fencingToken()),
                        tuple(2, "w2", "SUCCEEDED", second.fencingToken()));
        assertThat(done.attempts().get(0).error()).isEqualTo("worker w1 lost during attempt 1");
        assertThat(done.attempts().get(0).endedAtMs())
                .isGreaterThanOrEqualTo(done.attempts().get(0).startedAtMs());
    }

    @Test
    void workerKilledAfterReportingProgress_theLostAttemptKeepsItsToken() throws Exception {
        Gate gate = new Gate(true);
        TaskHandler reporting =
                ctx -> {
                    ctx.reportProgress(10, "started");
                    return gate.handle(ctx);
                };
        cluster.coordinator("c1").whenLeaderReady().get();
        CuratorFramework w1Session = ZK.newClient();
        cluster.worker(w1Session, "w1", 1, Map.of("slow", reporting), null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("slow").id("reporter").build()).join();
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                !gate.executions.isEmpty()
                                        && client.status("reporter").join().progress() != null);
        TaskStatus reported = client.status("reporter").join();
        assertThat(reported.attempts().get(0).fencingToken())
                .as("the progress write carries the token the claim could not")
                .isEqualTo(gate.executions.get(0).fencingToken());

        Faults.expireSession(w1Session, ZK.connectString());
        cluster.worker("w2", 1, Map.of("slow", gate), null);
        gate.open();
        TaskStatus done = client.await("reporter", Duration.ofSeconds(30));

        assertThat(done.attempts())
                .extracting(TaskAttempt::workerId, TaskAttempt::outcome, TaskAttempt::fencingToken)
                .startsWith(tuple("w1", "LOST", gate.executions.get(0).fencingToken()));
    }

    @Test
    void gracefulStop_showsAHandedBackAttempt_thenTheSameAttemptNumberElsewhere() throws Exception {
        Gate gate = new Gate(false);
        cluster.coordinator("c1").whenLeaderReady().get();
        io.drover.worker.Worker w1 = cluster.worker("w1", 1, Map.of("slow", gate), null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("slow").id("handed").build()).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.executionsOn("w1") == 1);
        cluster.worker("w2", 1, Map.of("slow", gate), null);

        w1.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.executionsOn("w2") == 1);
        gate.open();
        TaskStatus done = client.await("handed", Duration.ofSeconds(30));

        assertThat(done.attempts())
                .extracting(TaskAttempt::attempt, TaskAttempt::workerId, TaskAttempt::outcome)
                .containsExactly(tuple(1, "w1", "HANDED_BACK"), tuple(1, "w2", "SUCCEEDED"));
    }
}
