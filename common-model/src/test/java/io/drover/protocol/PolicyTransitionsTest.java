package io.drover.protocol;

import static io.drover.protocol.TaskTransitionsTest.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.Assignment;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.testkit.ZooKeeperServerExtension;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ops of the breaker policy's transitions (fail fast, fallback assignment), stated once. */
class PolicyTransitionsTest {
    private static final String B = DroverPaths.bucketOf("t1");
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private final CuratorFramework client = ZK.newClient(); // builds ops only; nothing is sent
    private final DroverPaths paths = new DroverPaths("c");
    private final PolicyTransitions t = new PolicyTransitions(client, paths);
    private final TaskSpec spec =
            TaskSpec.builder("resize").id("t1").build().withSubmittedAtMs(1_000);

    @Test
    void failPending_deletesTheEntry_writesFailedAtTheEntrysVersion_andIndexesTheEnd()
            throws Exception {
        PendingEntry entry = PendingEntry.of(spec, TaskStatus.pending(spec), 3);
        TaskStatus failed =
                PolicyTransitions.failedFast(entry.status(), "breaker open; failing fast", 4_000);

        assertThat(describe(t.failPending(entry, failed)))
                .as("no cancel request is cleared: one may not exist")
                .containsExactly(
                        "delete /drover/c/pending/" + B + "/" + entry.key(),
                        "setData /drover/c/status/" + B + "/t1 @3",
                        "create " + paths.done("t1", 4_000));
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.error()).isEqualTo("breaker open; failing fast");
        assertThat(failed.finishedAtMs()).isEqualTo(4_000);
        assertThat(failed.attempt()).as("no attempt ran").isEqualTo(1);
    }

    @Test
    void fallbackAssign_isTheAssignmentWithTheStatusNamingTheTypeToRunAs() throws Exception {
        // an older writer carried a runAs back into the pending status: the leader's choice wins
        TaskStatus carried = TaskStatus.pending(spec).runningAs("stale");
        PendingEntry entry = PendingEntry.of(spec, carried, 4);

        TaskTransitions.Assigning fallback = t.assign(entry, "w1", "resize-lite", 7, 2_000);
        TaskTransitions.Assigning own = t.assign(entry, "w1", null, 7, 2_000);

        assertThat(describe(fallback.ops()))
                .containsExactly(
                        "delete /drover/c/pending/" + B + "/" + entry.key(),
                        "setData /drover/c/status/" + B + "/t1 @4",
                        "create /drover/c/assignments/w1/t1");
        Assignment order =
                DroverJson.decode("/a", DroverJson.encode(fallback.assignment()), Assignment.class);
        assertThat(order.status().runAs()).isEqualTo("resize-lite");
        assertThat(order.status().type()).isEqualTo("resize");
        assertThat(order.status().running(3_000).runAs())
                .as("the claim and the commit keep it")
                .isEqualTo("resize-lite");
        assertThat(order.status().running(3_000).requeued(2, "boom", 0).runAs())
                .as("a retry is dispatched afresh")
                .isNull();
        assertThat(own.assignment().status().runAs()).isNull();
    }
}
