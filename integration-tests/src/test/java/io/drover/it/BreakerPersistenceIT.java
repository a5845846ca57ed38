package io.drover.it;

import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.model.BreakerState;
import io.drover.model.CircuitBreakerPolicy;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TypePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

/** A breaker transition is recorded in ZooKeeper even when its first write fails. */
class BreakerPersistenceIT extends ClusterIT {

    @Test
    void breakerStateWriteFails_isRetried_untilTheStateIsRecorded() throws Exception {
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient client = cluster.client();
        DroverPaths paths = client.store().paths();
        CuratorFramework zk = ZK.newClient();
        client.setTypePolicy(
                "fragile", TypePolicy.of(0, new CircuitBreakerPolicy(1.0, 2, 2, 60_000)));
        // by hand: every write of a breaker state fails until it is back
        zk.delete().forPath(paths.breakers());
        cluster.worker(
                "w1",
                2,
                Map.of(
                        "fragile",
                        ctx -> {
                            throw io.drover.worker.TaskFailedException.permanent("down");
                        }),
                null);

        try (LogCapture log =
                new LogCapture(Class.forName("io.drover.coordinator.internal.TypeRules"))) {
            client.awaitAll(
                    List.of(
                            client.submit(
                                            TaskSpec.builder("fragile")
                                                    .id("x1")
                                                    .maxAttempts(1)
                                                    .build())
                                    .join()
                                    .taskId(),
                            client.submit(
                                            TaskSpec.builder("fragile")
                                                    .id("x2")
                                                    .maxAttempts(1)
                                                    .build())
                                    .join()
                                    .taskId()),
                    Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> log.contains("cannot record the breaker state of fragile"));
        }
        zk.create().forPath(paths.breakers());

        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                client.breakerState("fragile") != null
                                        && client.breakerState("fragile").state()
                                                == BreakerState.State.OPEN);
    }
}
