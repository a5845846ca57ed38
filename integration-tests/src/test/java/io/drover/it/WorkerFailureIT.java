package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.testkit.Faults;
import io.drover.worker.TaskEvent;
import io.drover.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

class WorkerFailureIT extends ClusterIT {
    @Test
    void workerSessionExpiresMidTask_taskRunsElsewhere_staleAttemptNeverCommits() throws Exception {
        Gate gate = new Gate(true);
        cluster.coordinator("c1").whenLeaderReady().get();
        CuratorFramework w1Session = ZK.newClient();
        Worker w1 = cluster.worker(w1Session, "w1", 1, Map.of("slow", gate), null);
        List<TaskEvent> w1Events = new CopyOnWriteArrayList<>();
        w1.addListener(w1Events::add);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("slow").id("victim").build()).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.executionsOn("w1") == 1);

        Faults.expireSession(w1Session, ZK.connectString());
        cluster.worker("w2", 1, Map.of("slow", gate), null);
        await().atMost(Duration.ofSeconds(30)).until(() -> gate.executionsOn("w2") == 1);
        gate.open();
        TaskStatus done = client.await("victim", Duration.ofSeconds(30));

        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.workerId()).isEqualTo("w2");
        assertThat(done.attempt()).isEqualTo(2);
        Gate.Execution first = gate.executions.get(0);
        assertThat(done.fencingToken()).isGreaterThan(first.fencingToken());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> gate.finished.getOrDefault("w1", 0) == 1);
        // w1's late result changed nothing: either w1 learnt of its lost session first and
        // abandoned the
        // attempt, or its commit reached ZooKeeper and was refused there.
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                w1Events.stream()
                                        .anyMatch(
                                                e ->
                                                        e.kind() == TaskEvent.Kind.ABANDONED
                                                                || e.kind()
                                                                        == TaskEvent.Kind
                                                                                .REJECTED));
        assertThat(w1Events).extracting(TaskEvent::kind).doesNotContain(TaskEvent.Kind.COMMITTED);
        assertThat(client.status("victim").join()).isEqualTo(done);
    }

    @Test
    void workerStopsGracefully_runningTaskHandedBack_runsElsewhereWithoutCountingAnAttempt()
            throws Exception {
        Gate gate = new Gate(false);
        cluster.coordinator("c1").whenLeaderReady().get();
        Worker w1 = cluster.worker("w1", 1, Map.of("slow", gate), null);
        List<TaskEvent> w1Events = new CopyOnWriteArrayList<>();
        w1.addListener(w1Events::add);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("slow").id("handed").maxAttempts(1).build()).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.executionsOn("w1") == 1);
        cluster.worker("w2", 1, Map.of("slow", gate), null);

        w1.close();

        assertThat(w1Events).extracting(TaskEvent::kind).contains(TaskEvent.Kind.HANDED_BACK);
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.executionsOn("w2") == 1);
        gate.open();
        TaskStatus done = client.await("handed", Duration.ofSeconds(30));
        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.workerId()).isEqualTo("w2");
        assertThat(done.attempt()).isEqualTo(1);
    }

    @Test
    void workerDiesOnItsLastAttempt_taskFails_andIsNeverRunAgain() throws Exception {
        Gate gate = new Gate(true);
        io.drover.coordinator.Coordinator c1 = cluster.coordinator("c1");
        c1.whenLeaderReady().get();
        List<TaskStatus> leaderEnded = new CopyOnWriteArrayList<>();
        c1.addListener(
                new io.drover.coordinator.CoordinatorListener() {
                    @Override
                    public void taskEnded(TaskStatus end) {
                        leaderEnded.add(end);
                    }
                });
        CuratorFramework w1Session = ZK.newClient();
        Worker w1 = cluster.worker(w1Session, "w1", 1, Map.of("slow", gate), null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("slow").id("poison").maxAttempts(1).build()).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> gate.executionsOn("w1") == 1);

        Faults.expireSession(w1Session, ZK.connectString());
        TaskStatus done = client.await("poison", Duration.ofSeconds(30));
        cluster.worker("w2", 1, Map.of("slow", gate), null);
        gate.open();

        assertThat(done.state()).isEqualTo(TaskState.FAILED);
        assertThat(done.error())
                .contains("worker w1 lost during attempt 1")
                .contains("no attempts left");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> w1.runningCount() == 0); // w1 learns of its lost session
        assertThat(client.status("poison").join().state()).isEqualTo(TaskState.FAILED);
        assertThat(gate.executions).hasSize(1);
        // the leader hears its write acknowledged about when clients see the status
        await().atMost(Duration.ofSeconds(10)).until(() -> !leaderEnded.isEmpty());
        assertThat(leaderEnded)
                .as("the leader wrote that end, and tells its listeners (the server's metrics)")
                .singleElement()
                .satisfies(
                        end -> {
                            assertThat(end.taskId()).isEqualTo("poison");
                            assertThat(end.state()).isEqualTo(TaskState.FAILED);
                            assertThat(end.type()).isEqualTo("slow");
                        });
    }
}
