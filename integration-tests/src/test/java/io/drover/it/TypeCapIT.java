package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.model.QuotaExceededException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TypePolicy;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A type's cap on live tasks ({@code TypePolicy.maxLiveTasks}): the leader publishes the type's
 * count, submitters refuse beyond it, other types go on, and room comes back as tasks end.
 */
class TypeCapIT extends ClusterIT {
    private static boolean refused(DroverClient client, String type) {
        try {
            client.submit(TaskSpec.builder(type).build()).join();
            return false;
        } catch (CompletionException e) {
            if (e.getCause() instanceof QuotaExceededException q) {
                assertThat(q.getMessage()).startsWith("task type '" + type + "' has ");
                assertThat(q.isRetryable()).isTrue();
                return true;
            }
            throw e;
        }
    }

    @Test
    void aTypeAtItsCap_isRefused_otherTypesAreNot_andRoomComesBackAsTasksEnd() throws Exception {
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient client = cluster.client();
        client.setTypePolicy("capped", TypePolicy.of(0, null).withMaxLiveTasks(5));
        AtomicInteger accepted = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            client.submit(TaskSpec.builder("capped").build()).join();
            accepted.incrementAndGet();
        }

        // Nobody runs "capped": once the leader has published its count, the sixth is refused.
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            boolean no = refused(client, "capped");
                            if (!no) {
                                accepted.incrementAndGet();
                            }
                            return no;
                        });
        assertThat(accepted.get())
                .as("soft: what was admitted before the leader's count arrived")
                .isBetween(5, 30);
        assertThat(client.submit(TaskSpec.builder("uncapped").build()).join().taskId())
                .isNotBlank();

        // A worker for the type: the backlog drains, and the type takes tasks again.
        cluster.worker("w1", 4, java.util.Map.of("capped", ctx -> null), null);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !refused(client, "capped"));
        String last = client.submit(TaskSpec.builder("capped").build()).join().taskId();
        assertThat(client.await(last, Duration.ofSeconds(30)).state())
                .isEqualTo(TaskState.SUCCEEDED);
        assertThatThrownBy(() -> TypePolicy.of(0, null).withMaxLiveTasks(-1))
                .hasMessageContaining("maxLiveTasks");
    }

    @Test
    void specBytesBeyondTheClustersCap_areRefused() throws Exception {
        cluster.coordinator("c1").whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient client =
                DroverClient.using(
                        ZK.newClient(),
                        cluster.cluster(),
                        new io.drover.store.StoreOptions(2048, 600, 100_000, 8 * 1024));
        String kilobyte = "x".repeat(1000);
        AtomicInteger accepted = new AtomicInteger();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            try {
                                client.submit(
                                                TaskSpec.builder("parked")
                                                        .payload(
                                                                io.drover.model.DroverJson
                                                                        .parsePayload(
                                                                                "{\"fill\":\""
                                                                                        + kilobyte
                                                                                        + "\"}"))
                                                        .build())
                                        .join();
                                accepted.incrementAndGet();
                                return false;
                            } catch (CompletionException e) {
                                assertThat(e.getCause())
                                        .isInstanceOf(QuotaExceededException.class)
                                        .hasMessageContaining("bytes of live task specs");
                                return true;
                            }
                        });
        assertThat(accepted.get()).as("about 1.1 KB each against 8 KiB, soft").isBetween(6, 40);
        client.close();
    }
}
