package io.drover.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.model.WaitingStatus;
import io.drover.testkit.ZooKeeperServerExtension;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ops of each transition of a task with dependencies, stated once. */
class DependencyTransitionsTest {
    private static String b(String id) {
        return DroverPaths.bucketOf(id);
    }

    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private final CuratorFramework client = ZK.newClient(); // builds ops only; nothing is sent
    private final DroverPaths paths = new DroverPaths("c");
    private final DependencyTransitions t = new DependencyTransitions(client, paths);
    private final TaskSpec spec =
            TaskSpec.builder("echo")
                    .id("t1")
                    .dependsOn("p1", "p2")
                    .build()
                    .withSubmittedAtMs(1_000);

    @Test
    void submit_createsSpecWaitingStatusAndWaitingEntry_thenChecksEachDependencyExists()
            throws Exception {
        assertThat(
                        TaskTransitionsTest.describe(
                                t.submit(spec, DroverJson.encode(spec), spec.dependsOn())))
                .containsExactly(
                        "create /drover/c/tasks/" + b("t1") + "/t1",
                        "create /drover/c/status/" + b("t1") + "/t1",
                        "create /drover/c/waiting/" + b("t1") + "/t1",
                        "check /drover/c/status/" + b("p1") + "/p1",
                        "check /drover/c/status/" + b("p2") + "/p2");
        assertThat(WaitingStatus.of(spec, 10).state()).isEqualTo(TaskState.WAITING);
    }

    @Test
    void release_movesTheStatusAtItsVersion_fromWaitingToThePendingIndex() throws Exception {
        TaskStatus waiting = WaitingStatus.of(spec, 10);
        PendingEntry entry = PendingEntry.of(spec, WaitingStatus.released(waiting), 1);

        assertThat(TaskTransitionsTest.describe(t.release("t1", 0, entry)))
                .containsExactly(
                        "setData /drover/c/status/" + b("t1") + "/t1 @0",
                        "delete /drover/c/waiting/" + b("t1") + "/t1",
                        "create /drover/c/pending/" + b("t1") + "/" + entry.key());
        assertThat(entry.status().state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void cancel_endsItAtItsVersion_intoTheRetentionIndex_clearingARequest() throws Exception {
        TaskStatus end = WaitingStatus.cancelled(WaitingStatus.of(spec, 10), "why", 5_000);

        assertThat(TaskTransitionsTest.describe(t.cancel("t1", 3, end, true)))
                .containsExactly(
                        "delete /drover/c/waiting/" + b("t1") + "/t1",
                        "setData /drover/c/status/" + b("t1") + "/t1 @3",
                        "create /drover/c/done/" + b("t1") + "/0000000005000-t1",
                        "delete /drover/c/cancels/t1");
        assertThat(end.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(end.error()).isEqualTo("why");
    }

    @Test
    void rerun_waitsAgain_outOfTheRetentionIndex() throws Exception {
        TaskStatus end = WaitingStatus.cancelled(WaitingStatus.of(spec, 10), "why", 5_000);

        assertThat(
                        TaskTransitionsTest.describe(
                                t.rerun(spec, new Versioned<>(end, 2), true, false)))
                .containsExactly(
                        "setData /drover/c/status/" + b("t1") + "/t1 @2",
                        "create /drover/c/waiting/" + b("t1") + "/t1",
                        "delete /drover/c/done/" + b("t1") + "/0000000005000-t1");
        assertThat(WaitingStatus.rerun(end).state()).isEqualTo(TaskState.WAITING);
        assertThat(WaitingStatus.rerun(end).series()).isEqualTo(2);
    }

    @Test
    void discard_takesBackAStagedTask_atItsStatusVersion() throws Exception {
        assertThat(TaskTransitionsTest.describe(t.discard("t1", 0)))
                .containsExactly(
                        "delete /drover/c/waiting/" + b("t1") + "/t1",
                        "delete /drover/c/status/" + b("t1") + "/t1 @0",
                        "delete /drover/c/tasks/" + b("t1") + "/t1");
    }

    @Test
    void aFailedCheck_namesTheMissingTask_andNothingElseDoes() {
        assertThat(t.missingTask(new KeeperException.NoNodeException(paths.status("p2"))))
                .isEqualTo("p2");
        assertThat(t.missingTask(new KeeperException.NoNodeException(paths.waiting("p2"))))
                .isNull();
        assertThat(t.missingTask(new KeeperException.NodeExistsException(paths.status("p2"))))
                .isNull();
    }
}
