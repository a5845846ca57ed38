package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.DroverPaths;
import io.drover.model.RerunRefusedException;
import io.drover.model.TaskAttempt;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.testkit.Faults;
import io.drover.worker.TaskFailedException;
import io.drover.worker.TaskHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/** Re-running ended tasks ({@code DroverClient.retry}) on a cluster with real ZooKeeper. */
class RerunIT extends ClusterIT {
    /** Fails its first execution for good; every later one succeeds. */
    private static TaskHandler failsOnce(AtomicInteger runs) {
        return ctx -> {
            if (runs.incrementAndGet() == 1) {
                throw TaskFailedException.permanent("first run fails");
            }
            return Map.of("run", runs.get());
        };
    }

    private List<String> doneEntries(String taskId) throws Exception {
        DroverPaths paths = new DroverPaths(cluster.cluster());
        CuratorFramework zk = ZK.newClient();
        try {
            List<String> out = new ArrayList<>();
            for (String bucket : paths.buckets(paths.done())) {
                if (zk.checkExists().forPath(bucket) == null) {
                    continue;
                }
                zk.getChildren().forPath(bucket).stream()
                        .filter(n -> n.endsWith("-" + taskId))
                        .forEach(out::add);
            }
            return out;
        } finally {
            zk.close();
        }
    }

    @Test
    void rerunOfAFailedTask_succeeds_asSeriesTwo_keepingTheFirstSeriesInTheHistory()
            throws Exception {
        AtomicInteger runs = new AtomicInteger();
        cluster.coordinator("c1");
        cluster.worker("w1", 1, Map.of("once", failsOnce(runs)), null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("once").id("again").maxAttempts(3).build()).join();
        TaskStatus failed = client.await("again", Duration.ofSeconds(30));
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(doneEntries("again")).hasSize(1);

        TaskStatus pending = client.retry("again").get(10, TimeUnit.SECONDS);
        TaskStatus done = client.await("again", Duration.ofSeconds(30));

        assertThat(pending.state()).isEqualTo(TaskState.PENDING);
        assertThat(pending.series()).isEqualTo(2);
        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.series()).isEqualTo(2);
        assertThat(done.result().get("run").asInt()).isEqualTo(2);
        assertThat(done.fencingToken()).isGreaterThan(failed.fencingToken());
        assertThat(done.attempts())
                .extracting(
                        TaskAttempt::series,
                        TaskAttempt::attempt,
                        TaskAttempt::workerId,
                        TaskAttempt::outcome,
                        TaskAttempt::error)
                .containsExactly(
                        tuple(1, 1, "w1", "FAILED", "first run fails"),
                        tuple(2, 1, "w1", "SUCCEEDED", null));
        assertThat(doneEntries("again"))
                .as("the first end's retention entry went with the re-run; the new end has its own")
                .containsExactly(
                        DroverPaths.nodeName(
                                new DroverPaths(cluster.cluster())
                                        .done("again", done.finishedAtMs())));
    }

    @Test
    void retryOfASucceededOrUnknownTask_isRefused() throws Exception {
        cluster.coordinator("c1");
        cluster.worker("w1", 1, Map.of("noop", ctx -> null), null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("noop").id("fine").build()).join();
        client.await("fine", Duration.ofSeconds(30));

        assertThatThrownBy(() -> client.retry("fine").join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(RerunRefusedException.class)
                .hasMessage(
                        "task fine is SUCCEEDED: only a FAILED or CANCELLED task can be retried");
        assertThatThrownBy(() -> client.retry("nobody").join())
                .cause()
                .isInstanceOf(io.drover.model.TaskNotFoundException.class);
        assertThat(client.status("fine").join().series()).isEqualTo(1);
    }

    @Test
    void retryDuringALeaderFailover_isDispatchedByTheNewLeader() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CuratorFramework c1Session = ZK.newClient();
        Coordinator c1 = cluster.coordinator(c1Session, "c1", null);
        long firstEpoch = c1.whenLeaderReady().get(30, TimeUnit.SECONDS);
        Coordinator c2 = cluster.coordinator("c2");
        cluster.worker("w1", 1, Map.of("once", failsOnce(runs)), null);
        DroverClient client = cluster.client();
        client.submit(TaskSpec.builder("once").id("failover").build()).join();
        assertThat(client.await("failover", Duration.ofSeconds(30)).state())
                .isEqualTo(TaskState.FAILED);

        Faults.expireSession(c1Session, ZK.connectString()); // the leader dies
        TaskStatus pending = client.retry("failover").get(10, TimeUnit.SECONDS);
        long secondEpoch = c2.whenLeaderReady().get(30, TimeUnit.SECONDS);
        TaskStatus done = client.await("failover", Duration.ofSeconds(30));

        assertThat(pending.state()).isEqualTo(TaskState.PENDING);
        assertThat(secondEpoch).isGreaterThan(firstEpoch);
        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.epoch()).as("assigned by the new leader").isEqualTo(secondEpoch);
        assertThat(runs).hasValue(2);
    }
}
