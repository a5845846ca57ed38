package io.drover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.PayloadTooLargeException;
import io.drover.model.PendingEntry;
import io.drover.model.TaskConflictException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TaskStoreTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private CuratorFramework client;
    private DroverPaths paths;
    private TaskStore store;

    @BeforeEach
    void setUp() {
        client = ZK.newClient();
        paths = new DroverPaths(ZK.uniqueCluster());
        Layout.ensure(client, paths);
        store = new TaskStore(client, paths, new StoreOptions(2048, 600));
    }

    @Test
    void submit_writesSpecStatusAndPendingEntryTogether() throws Exception {
        TaskSpec spec =
                TaskSpec.builder("echo").id("t1").payloadJson("{\"a\":1}").priority(3).build();

        SubmitResult result = store.submit(spec).join();

        assertThat(result).isEqualTo(new SubmitResult("t1", true));
        TaskStatus status = store.status("t1").join().orElseThrow().value();
        assertThat(status.state()).isEqualTo(TaskState.PENDING);
        assertThat(status.attempt()).isEqualTo(1);
        assertThat(status.submittedAtMs()).isPositive();
        PendingEntry entry = PendingEntry.of(store.spec("t1").join().orElseThrow(), status, 0);
        byte[] pending = client.getData().forPath(paths.pending(entry));
        assertThat(
                        DroverJson.decode("p", pending, PendingEntry.class)
                                .spec()
                                .payload()
                                .get("a")
                                .asInt())
                .isEqualTo(1);
    }

    @Test
    void resubmitSameSpec_isIdempotent_differentSpec_isAConflict() {
        TaskSpec spec = TaskSpec.builder("echo").id("t2").payloadJson("1").build();
        store.submit(spec).join();

        assertThat(store.submit(spec).join().created()).isFalse();
        assertThatThrownBy(
                        () ->
                                store.submit(
                                                TaskSpec.builder("echo")
                                                        .id("t2")
                                                        .payloadJson("2")
                                                        .build())
                                        .join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(TaskConflictException.class);
    }

    @Test
    void oversizedSpec_rejectedWithSizesInTheMessage_andNothingWritten() throws Exception {
        TaskSpec big =
                TaskSpec.builder("echo")
                        .id("big")
                        .payloadJson("\"" + "x".repeat(4000) + "\"")
                        .build();

        assertThatThrownBy(() -> store.submit(big).join())
                .hasCauseInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("over the limit of 2048 bytes");
        assertThat(client.checkExists().forPath(paths.task("big"))).isNull();
        assertThat(client.checkExists().forPath(paths.status("big"))).isNull();
    }

    @Test
    void batchWithOneConflict_othersStillAccepted() {
        store.submit(TaskSpec.builder("echo").id("taken").payloadJson("1").build()).join();
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            specs.add(
                    TaskSpec.builder("echo")
                            .id(i == 25 ? "taken" : "b" + i)
                            .payloadJson("2")
                            .build());
        }

        List<CompletableFuture<SubmitResult>> results = store.submitAll(specs);

        for (int i = 0; i < 50; i++) {
            if (i == 25) {
                assertThatThrownBy(results.get(i)::join)
                        .hasCauseInstanceOf(TaskConflictException.class);
            } else {
                assertThat(results.get(i).join().created()).isTrue();
            }
        }
    }

    @Test
    void pathTraversalId_isAClearInvalidIdError_notAZooKeeperOutage() {
        assertThatThrownBy(() -> store.status("../../leader/epoch").join())
                .hasCauseInstanceOf(io.drover.model.InvalidTaskException.class)
                .hasMessageContaining("id: must be 1-128 characters");
        assertThatThrownBy(() -> store.spec("a/b").join())
                .hasCauseInstanceOf(io.drover.model.InvalidTaskException.class);
    }

    @Test
    void unknownTask_readsAsEmpty() {
        assertThat(store.status("nope").join()).isEmpty();
        assertThat(store.spec("nope").join()).isEmpty();
    }
}
