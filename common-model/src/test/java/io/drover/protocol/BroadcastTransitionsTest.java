package io.drover.protocol;

import static io.drover.protocol.TaskTransitionsTest.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.Broadcast;
import io.drover.model.BroadcastGathering;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ops of each broadcast transition, stated once: the protocol's golden copy. */
class BroadcastTransitionsTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private final CuratorFramework client = ZK.newClient(); // builds ops only; nothing is sent
    private final DroverPaths paths = new DroverPaths("c");
    private final BroadcastTransitions t = new BroadcastTransitions(client, paths);
    private final TaskSpec spec =
            TaskSpec.builder("flush")
                    .id("b1")
                    .broadcast(new Broadcast(Broadcast.Success.ANY, 5_000))
                    .build()
                    .withSubmittedAtMs(1_000);
    private final PendingEntry entry = PendingEntry.of(spec, TaskStatus.pending(spec), 3);
    private final String b = "/" + DroverPaths.bucketOf("b1") + "/";

    @Test
    void aBroadcastsEntry_saysSo_soTheLeaderFansItOutWithoutReadingTheSpec() {
        assertThat(entry.broadcast()).isTrue();
        assertThat(entry.targetWorker()).isNull();
        assertThat(new String(DroverJson.encode(entry))).contains("\"broadcast\":true");
        TaskSpec response = TaskSpec.builder("flush").id("r").targetWorker("w1").build();
        PendingEntry r = PendingEntry.of(response, TaskStatus.pending(response), 0);
        assertThat(r.targetWorker()).isEqualTo("w1");
        assertThat(new String(DroverJson.encode(r))).doesNotContain("broadcast");
    }

    @Test
    void fanOut_takesTheEntry_movesTheStatusToWaitingAtItsVersion_createsTheGathering()
            throws Exception {
        BroadcastGathering g =
                new BroadcastGathering(1, "b1", 1, Broadcast.Success.ANY, 10, 5_010, List.of());

        assertThat(describe(t.fanOut(entry, g)))
                .containsExactly(
                        "delete /drover/c/pending" + b + entry.key(),
                        "setData /drover/c/status" + b + "b1 @3",
                        "create /drover/c/broadcasts/b1");
        TaskStatus waiting = BroadcastTransitions.waiting(entry.status());
        assertThat(waiting.state()).isEqualTo(TaskState.WAITING);
        assertThat(waiting.attempt()).isEqualTo(1);
        assertThat(waiting.taskId()).isEqualTo("b1");
    }

    @Test
    void respond_submitsOnlyWhileTheGatheringExists() throws Exception {
        TaskSpec r =
                TaskSpec.builder("flush")
                        .id("r1")
                        .parentId("b1")
                        .targetWorker("w1")
                        .build()
                        .withSubmittedAtMs(2_000);
        String rb = "/" + DroverPaths.bucketOf("r1") + "/";

        TaskTransitions.Submission s = t.respond("b1", r, DroverJson.encode(r));

        assertThat(describe(s.ops()))
                .containsExactly(
                        "check /drover/c/broadcasts/b1",
                        "create /drover/c/tasks" + rb + "r1",
                        "create /drover/c/status" + rb + "r1",
                        "create /drover/c/pending" + rb + s.entry().key());
        assertThat(s.entry().targetWorker()).isEqualTo("w1");
    }

    @Test
    void end_writesTheEndAtTheWaitingVersion_deletesTheGathering_cancelsWhatStillRuns()
            throws Exception {
        TaskStatus end =
                BroadcastTransitions.waiting(entry.status())
                        .finished(TaskState.SUCCEEDED, 0, null, null, 9_000);

        assertThat(describe(t.end("b1", 4, end, List.of("r2"), true)))
                .containsExactly(
                        "setData /drover/c/status" + b + "b1 @4",
                        "create " + paths.done("b1", 9_000),
                        "delete /drover/c/broadcasts/b1",
                        "delete /drover/c/cancels/b1",
                        "create /drover/c/cancels/r2");
        assertThat(describe(t.end("b1", 4, end, List.of(), false))).hasSize(3);
    }

    @Test
    void endPending_takesTheEntryAndEndsAtItsVersion() throws Exception {
        TaskStatus failed =
                entry.status().finished(TaskState.FAILED, 0, null, "reached nobody", 9_000);

        assertThat(describe(t.endPending(entry, failed)))
                .containsExactly(
                        "delete /drover/c/pending" + b + entry.key(),
                        "setData /drover/c/status" + b + "b1 @3",
                        "create " + paths.done("b1", 9_000));
    }
}
