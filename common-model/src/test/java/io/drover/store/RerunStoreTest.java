package io.drover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.DroverPaths;
import io.drover.model.InvalidTaskException;
import io.drover.model.PendingEntry;
import io.drover.model.QuotaExceededException;
import io.drover.model.RerunRefusedException;
import io.drover.model.TaskNotFoundException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.TaskTransitions;
import io.drover.protocol.Znodes;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.concurrent.CompletionException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link TaskStore#rerun} against ZooKeeper, no leader: what the one multi leaves behind, and what
 * it refuses. The ends are written here as the leader would write them.
 */
class RerunStoreTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private CuratorFramework client;
    private DroverPaths paths;
    private TaskStore store;
    private TaskTransitions transitions;

    @BeforeEach
    void setUp() {
        client = ZK.newClient();
        paths = new DroverPaths(ZK.uniqueCluster());
        Layout.ensure(client, paths);
        store = new TaskStore(client, paths, StoreOptions.defaults());
        transitions = new TaskTransitions(client, paths);
    }

    /** Submits {@code id} and cancels it while pending, as the leader does; returns the end. */
    private TaskStatus cancelled(String id) throws Exception {
        store.submit(TaskSpec.builder("resize").id(id).build()).join();
        TaskStatus pending = store.status(id).join().orElseThrow().value();
        PendingEntry entry = PendingEntry.of(store.spec(id).join().orElseThrow(), pending, 0);
        client.create().forPath(paths.cancel(id));
        TaskStatus end =
                pending.finished(
                        TaskState.CANCELLED, 0, null, "cancelled", System.currentTimeMillis());
        client.transaction().forOperations(transitions.cancelPending(entry, end));
        return end;
    }

    private boolean exists(String path) throws Exception {
        return client.checkExists().forPath(path) != null;
    }

    @Test
    void rerun_pendsAgainAtTheNextVersion_withItsEntry_outOfTheRetentionIndex_requestGone()
            throws Exception {
        TaskStatus end = cancelled("t1");
        assertThat(exists(paths.done("t1", end.finishedAtMs()))).isTrue();
        client.create().forPath(paths.cancel("t1")); // a request that came after the end

        TaskStatus again = store.rerun("t1", null).join();

        Versioned<TaskStatus> read = store.status("t1").join().orElseThrow();
        assertThat(read.version()).isEqualTo(2);
        assertThat(read.value()).isEqualTo(again);
        assertThat(again.state()).isEqualTo(TaskState.PENDING);
        assertThat(again.series()).isEqualTo(2);
        PendingEntry entry = PendingEntry.of(store.spec("t1").join().orElseThrow(), again, 2);
        byte[] raw = client.getData().forPath(paths.pending(entry));
        assertThat(Znodes.pending(paths.pending(entry), raw).statusVersion()).isEqualTo(2);
        assertThat(exists(paths.done("t1", end.finishedAtMs()))).isFalse();
        assertThat(exists(paths.cancel("t1"))).isFalse();
    }

    @Test
    void rerun_ofAnEndWithoutARetentionEntry_stillWorks() throws Exception {
        TaskStatus end = cancelled("t2");
        client.delete().forPath(paths.done("t2", end.finishedAtMs()));

        assertThat(store.rerun("t2", null).join().state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void rerun_ofAPendingUnknownOrBadlyNamedTask_isRefused_andWritesNothing() throws Exception {
        store.submit(TaskSpec.builder("resize").id("t3").build()).join();
        Stat before = client.checkExists().forPath(paths.status("t3"));

        assertThatThrownBy(() -> store.rerun("t3", null).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(RerunRefusedException.class)
                .hasMessage("task t3 is PENDING: only a FAILED or CANCELLED task can be retried");
        assertThatThrownBy(() -> store.rerun("nobody", null).join())
                .cause()
                .isInstanceOf(TaskNotFoundException.class);
        assertThatThrownBy(() -> store.rerun("../x", null).join())
                .cause()
                .isInstanceOf(InvalidTaskException.class);
        assertThat(client.checkExists().forPath(paths.status("t3")).getVersion())
                .isEqualTo(before.getVersion());
    }

    @Test
    void rerun_ofATaskWhoseSpecIsGone_isRefusedNamingWhy() throws Exception {
        cancelled("t4");
        client.delete().forPath(paths.task("t4"));

        assertThatThrownBy(() -> store.rerun("t4", null).join())
                .cause()
                .isInstanceOf(RerunRefusedException.class)
                .hasMessage("task t4 cannot be retried: its spec is gone");
    }

    @Test
    void rerun_beyondTheCapOnLiveTasks_isRefusedLikeASubmission() throws Exception {
        cancelled("t5");
        store.submit(TaskSpec.builder("resize").id("t6").build()).join(); // one live task
        TaskStore capped =
                new TaskStore(client, paths, StoreOptions.defaults().withMaxLiveTasks(1));

        assertThatThrownBy(() -> capped.rerun("t5", null).join())
                .cause()
                .isInstanceOf(QuotaExceededException.class);
        assertThat(store.status("t5").join().orElseThrow().value().state())
                .isEqualTo(TaskState.CANCELLED);
        capped.close();
    }
}
