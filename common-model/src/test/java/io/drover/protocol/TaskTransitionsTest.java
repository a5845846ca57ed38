package io.drover.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.Assignment;
import io.drover.model.Claim;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.jute.Record;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.proto.CheckVersionRequest;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.SetDataRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ops each task transition emits, stated once: the protocol's golden copy. */
class TaskTransitionsTest {
    private static final String B = DroverPaths.bucketOf("t1");
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private final CuratorFramework client = ZK.newClient(); // builds ops only; nothing is sent
    private final DroverPaths paths = new DroverPaths("c");
    private final TaskTransitions t = new TaskTransitions(client, paths);
    private final TaskSpec spec =
            TaskSpec.builder("echo").id("t1").build().withSubmittedAtMs(1_000);
    private final TaskStatus pending = TaskStatus.pending(spec);

    /** One line per op: verb, path, and the version it is conditional on (or "ephemeral"). */
    static List<String> describe(List<CuratorOp> ops) {
        List<String> out = new ArrayList<>();
        for (CuratorOp op : ops) {
            Record r = op.get().toRequestRecord();
            String path = op.get().getPath();
            if (r instanceof CreateRequest c) {
                out.add(
                        "create "
                                + path
                                + (CreateMode.fromFlag(c.getFlags(), CreateMode.PERSISTENT)
                                                .isEphemeral()
                                        ? " ephemeral"
                                        : ""));
            } else if (r instanceof DeleteRequest d) {
                out.add("delete " + path + at(d.getVersion()));
            } else if (r instanceof SetDataRequest s) {
                out.add("setData " + path + at(s.getVersion()));
            } else if (r instanceof CheckVersionRequest c) {
                out.add("check " + path + at(c.getVersion()));
            } else {
                out.add(r.getClass().getSimpleName() + " " + path);
            }
        }
        return out;
    }

    private static String at(int version) {
        return version < 0 ? "" : " @" + version;
    }

    @Test
    void submit_createsSpecStatusAndEntry() throws Exception {
        TaskTransitions.Submission s = t.submit(spec, DroverJson.encode(spec));
        assertThat(describe(s.ops()))
                .containsExactly(
                        "create /drover/c/tasks/" + B + "/t1",
                        "create /drover/c/status/" + B + "/t1",
                        "create /drover/c/pending/" + B + "/" + s.entry().key());
        assertThat(s.entry().statusVersion()).isZero();
    }

    @Test
    void assign_movesTheStatusAtTheEntrysVersion_andTheOrderNamesTheVersionAfter()
            throws Exception {
        PendingEntry entry = PendingEntry.of(spec, pending, 4);
        TaskTransitions.Assigning a = t.assign(entry, "w1", 7, 2_000);
        assertThat(describe(a.ops()))
                .containsExactly(
                        "delete /drover/c/pending/" + B + "/" + entry.key(),
                        "setData /drover/c/status/" + B + "/t1 @4",
                        "create /drover/c/assignments/w1/t1");
        assertThat(a.assignment().statusVersion()).isEqualTo(5);
        assertThat(a.assignment().status().state()).isEqualTo(TaskState.ASSIGNED);
        assertThat(a.assignment().status().epoch()).isEqualTo(7);
    }

    @Test
    void claim_isTheEphemeralClaimAndTheStatusAtTheOrdersVersion_noCheckOfTheOrder()
            throws Exception {
        Assignment order = t.assign(PendingEntry.of(spec, pending, 4), "w1", 7, 2_000).assignment();
        List<CuratorOp> ops =
                t.claim(order, new Claim(1, "w1", 1, 3_000), order.status().running(3_000));
        assertThat(describe(ops))
                .containsExactly(
                        "create /drover/c/claims/t1 ephemeral",
                        "setData /drover/c/status/" + B + "/t1 @5");
    }

    @Test
    void progressCommitRequeue_areAllOverTheRunningVersion() throws Exception {
        TaskStatus running = pending.assigned("w1", 7, 2_000).running(3_000);
        TaskStatus done = running.finished(TaskState.SUCCEEDED, 9, null, null, 4_000);
        assertThat(describe(t.progress("t1", 6, running)))
                .containsExactly("setData /drover/c/status/" + B + "/t1 @6");
        assertThat(describe(t.commit("w1", "t1", 6, done, DroverJson.encode(done))))
                .containsExactly(
                        "setData /drover/c/status/" + B + "/t1 @6",
                        "delete /drover/c/assignments/w1/t1",
                        "delete /drover/c/claims/t1",
                        "create " + paths.done("t1", 4_000));
        TaskStatus retry = running.requeued(2, "boom", 5_000);
        assertThat(describe(t.requeue("w1", "t1", spec, 6, retry)))
                .containsExactly(
                        "setData /drover/c/status/" + B + "/t1 @6",
                        "delete /drover/c/assignments/w1/t1",
                        "delete /drover/c/claims/t1",
                        "create /drover/c/pending/"
                                + B
                                + "/"
                                + PendingEntry.of(spec, retry, 7).key());
    }

    @Test
    void leaderTransitions() throws Exception {
        TaskStatus assigned = pending.assigned("w1", 7, 2_000);
        TaskStatus cancelled = assigned.finished(TaskState.CANCELLED, 0, null, "cancelled", 4_000);
        assertThat(
                        describe(
                                t.recoverToPending(
                                        "w1",
                                        "t1",
                                        true,
                                        spec,
                                        5,
                                        assigned.requeued(1, "lost", 0))))
                .containsExactly(
                        "delete /drover/c/assignments/w1/t1",
                        "delete /drover/c/claims/t1",
                        "setData /drover/c/status/" + B + "/t1 @5",
                        "create /drover/c/pending/"
                                + B
                                + "/"
                                + PendingEntry.of(spec, pending, 6).key());
        assertThat(describe(t.recoverToEnd("w1", "t1", false, 5, cancelled, true)))
                .containsExactly(
                        "delete /drover/c/assignments/w1/t1",
                        "setData /drover/c/status/" + B + "/t1 @5",
                        "create " + paths.done("t1", 4_000),
                        "delete /drover/c/cancels/t1");
        assertThat(describe(t.cancelAssigned("w1", "t1", 5, cancelled)))
                .containsExactly(
                        "delete /drover/c/assignments/w1/t1",
                        "setData /drover/c/status/" + B + "/t1 @5",
                        "create " + paths.done("t1", 4_000),
                        "delete /drover/c/cancels/t1");
        PendingEntry entry = PendingEntry.of(spec, pending, 0);
        assertThat(
                        describe(
                                t.cancelPending(
                                        entry,
                                        pending.finished(
                                                TaskState.CANCELLED, 0, null, "cancelled", 4_000))))
                .containsExactly(
                        "delete /drover/c/pending/" + B + "/" + entry.key(),
                        "setData /drover/c/status/" + B + "/t1 @0",
                        "create " + paths.done("t1", 4_000),
                        "delete /drover/c/cancels/t1");
        Assignment order = new Assignment(1, assigned, 5, null).withCancelRequested();
        assertThat(describe(t.askToStop("w1", 3, order)))
                .containsExactly("setData /drover/c/assignments/w1/t1 @3");
        assertThat(describe(t.revokeStale("w1", "t1")))
                .containsExactly("delete /drover/c/assignments/w1/t1");
        assertThat(
                        describe(
                                new RetentionTransitions(client, paths)
                                        .retire(spec, 6, paths.done("t1", 4_000))))
                .as("only the terminal status the leader read goes, and only with no entry left")
                .containsExactly(
                        "delete /drover/c/tasks/" + B + "/t1",
                        "delete /drover/c/status/" + B + "/t1 @6",
                        "delete " + paths.done("t1", 4_000),
                        "create /drover/c/pending/" + B + "/" + entry.key(),
                        "delete /drover/c/pending/" + B + "/" + entry.key());
        assertThat(describe(t.restorePending(entry, 2)))
                .as("a forged end beside the entry: back to PENDING, the entry for the new version")
                .containsExactly(
                        "setData /drover/c/status/" + B + "/t1 @2",
                        "delete /drover/c/pending/" + B + "/" + entry.key(),
                        "create /drover/c/pending/" + B + "/" + entry.key());
    }

    @Test
    void rerun_isTheEndedStatusAtItsVersion_aNewEntry_outOfTheRetentionIndex() throws Exception {
        TaskStatus failed =
                pending.assigned("w1", 7, 2_000)
                        .running(3_000)
                        .finished(TaskState.FAILED, 9, null, "boom", 4_000);

        TaskTransitions.Submission plain = t.rerun(spec, new Versioned<>(failed, 6), true, false);
        TaskTransitions.Submission withRequest =
                t.rerun(spec, new Versioned<>(failed, 6), false, true);

        assertThat(describe(plain.ops()))
                .containsExactly(
                        "setData /drover/c/status/" + B + "/t1 @6",
                        "create /drover/c/pending/" + B + "/" + plain.entry().key(),
                        "delete " + paths.done("t1", 4_000));
        assertThat(plain.entry().key())
                .as("a re-run keeps its place")
                .isEqualTo(PendingEntry.of(spec, pending, 0).key());
        assertThat(plain.entry().statusVersion()).isEqualTo(7);
        assertThat(plain.entry().status().state()).isEqualTo(TaskState.PENDING);
        assertThat(plain.entry().status().attempt()).isEqualTo(1);
        assertThat(plain.entry().status().series()).isEqualTo(2);
        assertThat(describe(withRequest.ops()))
                .as("no retention entry to delete (a forged end has none); a stale request goes")
                .containsExactly(
                        "setData /drover/c/status/" + B + "/t1 @6",
                        "create /drover/c/pending/" + B + "/" + plain.entry().key(),
                        "delete /drover/c/cancels/t1");
    }

    /**
     * The invariant that lets a claim go without a {@code check} of its order: every transition
     * that removes a live assignment also writes the status at an explicit version, moving it on.
     * ({@code revokeStale} removes only assignments whose status already names another attempt.)
     */
    @Test
    void everyRemovalOfALiveAssignment_movesTheStatusVersion() throws Exception {
        TaskStatus assigned = pending.assigned("w1", 7, 2_000);
        TaskStatus end = assigned.finished(TaskState.FAILED, 0, null, "x", 4_000);
        Map<String, List<CuratorOp>> removing =
                Map.of(
                        "commit", t.commit("w1", "t1", 6, end, DroverJson.encode(end)),
                        "requeue",
                                t.requeue(
                                        "w1",
                                        "t1",
                                        spec,
                                        6,
                                        assigned.running(3_000).requeued(2, "x", 0)),
                        "recoverToPending",
                                t.recoverToPending(
                                        "w1",
                                        "t1",
                                        false,
                                        spec,
                                        5,
                                        assigned.requeued(1, "lost", 0)),
                        "recoverToEnd", t.recoverToEnd("w1", "t1", true, 5, end, false),
                        "cancelAssigned", t.cancelAssigned("w1", "t1", 5, end));
        removing.forEach(
                (name, ops) -> {
                    List<String> d = describe(ops);
                    assertThat(d)
                            .as(name)
                            .anyMatch(s -> s.startsWith("delete /drover/c/assignments/"));
                    assertThat(d)
                            .as(name + " moves the status at a version")
                            .anyMatch(s -> s.matches("setData /drover/c/status/.* @\\d+"));
                });
    }
}
