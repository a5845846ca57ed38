package io.drover.protocol;

import io.drover.model.Assignment;
import io.drover.model.Claim;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.zookeeper.CreateMode;

/**
 * Every ZooKeeper transition of a task, each built here as the ops of one {@code multi}, and the
 * version arithmetic they share. The status is the fence: every transition that ends a live attempt
 * (commit, retry, hand-back, recovery, cancellation) removes the assignment <em>and</em> writes the
 * status at the version its writer last saw, so a claim or commit made against an older version
 * fails in ZooKeeper itself. The leader's ops go out behind its epoch check (its writer adds it);
 * {@code docs/protocols.md} tells the story, {@code TaskTransitionsTest} pins the ops of each.
 * Retention's deletes are {@link RetentionTransitions}, the type policy's {@link
 * PolicyTransitions}.
 *
 * <p>Stateless apart from the client and layout; thread-safe. Builders only: nothing is sent here.
 */
public final class TaskTransitions {
    private final CuratorFramework client;
    private final DroverPaths paths;

    public TaskTransitions(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /**
     * ZooKeeper moves a node's version by one on each {@code setData}: the status version after a
     * write at {@code version}.
     */
    public static int after(int version) {
        return version + 1;
    }

    /** The ops of a submission and the pending entry they create. */
    public record Submission(List<CuratorOp> ops, PendingEntry entry) {}

    /** Submit: spec, PENDING status (version 0) and pending entry, created together. */
    public Submission submit(TaskSpec stamped, byte[] specBytes) throws Exception {
        TaskStatus status = TaskStatus.pending(stamped, specBytes.length);
        PendingEntry entry = PendingEntry.of(stamped, specBytes.length, status, 0);
        return new Submission(
                List.of(
                        op().create().forPath(paths.task(stamped.id()), specBytes),
                        op().create()
                                .forPath(paths.status(stamped.id()), DroverJson.encode(status)),
                        createPending(entry)),
                entry);
    }

    /** The ops of an assignment and the order they hand the worker. */
    public record Assigning(List<CuratorOp> ops, Assignment assignment) {}

    /**
     * Assign (leader): the entry leaves the index, the status moves PENDING → ASSIGNED at the
     * entry's version, the order is created.
     */
    public Assigning assign(PendingEntry entry, String workerId, long epoch, long nowMs)
            throws Exception {
        TaskStatus assigned = entry.status().assigned(workerId, epoch, nowMs);
        Assignment assignment =
                new Assignment(
                        Assignment.FORMAT_VERSION,
                        assigned,
                        after(entry.statusVersion()),
                        entry.spec());
        return new Assigning(
                List.of(
                        op().delete().forPath(paths.pending(entry)),
                        setStatus(entry.taskId(), entry.statusVersion(), assigned),
                        op().create()
                                .forPath(
                                        paths.assignment(workerId, entry.taskId()),
                                        DroverJson.encode(assignment))),
                assignment);
    }

    /**
     * Claim (worker): its ephemeral claim, and ASSIGNED → RUNNING at the version the assignment
     * names. No {@code check} of the assignment: every removal of a live assignment moves the
     * status version, so the status version alone proves the order still stands.
     */
    public List<CuratorOp> claim(Assignment assignment, Claim claim, TaskStatus running)
            throws Exception {
        String taskId = assignment.taskId();
        return List.of(
                op().create()
                        .withMode(CreateMode.EPHEMERAL)
                        .forPath(paths.claim(taskId), DroverJson.encode(claim)),
                setStatus(taskId, assignment.statusVersion(), running));
    }

    /** Progress (worker): the RUNNING status again, over its own last version. */
    public List<CuratorOp> progress(String taskId, int runningVersion, TaskStatus withProgress)
            throws Exception {
        return List.of(setStatus(taskId, runningVersion, withProgress));
    }

    /**
     * Commit (worker): the terminal status over its RUNNING version, assignment and claim removed,
     * into the retention index.
     */
    public List<CuratorOp> commit(
            String workerId, String taskId, int runningVersion, TaskStatus terminal, byte[] data)
            throws Exception {
        return List.of(
                op().setData().withVersion(runningVersion).forPath(paths.status(taskId), data),
                op().delete().forPath(paths.assignment(workerId, taskId)),
                op().delete().forPath(paths.claim(taskId)),
                op().create().forPath(paths.done(taskId, terminal.finishedAtMs())));
    }

    /**
     * Retry or hand-back (worker): PENDING again over its RUNNING version, with a new pending entry
     * that names the version after.
     */
    public List<CuratorOp> requeue(
            String workerId, String taskId, TaskSpec spec, int runningVersion, TaskStatus next)
            throws Exception {
        PendingEntry entry = PendingEntry.of(spec, next, after(runningVersion));
        return List.of(
                setStatus(taskId, runningVersion, next),
                op().delete().forPath(paths.assignment(workerId, taskId)),
                op().delete().forPath(paths.claim(taskId)),
                createPending(entry));
    }

    /**
     * Re-run (any client, no leader needed): a FAILED or CANCELLED status, at the version read,
     * PENDING again as attempt 1 of a new series ({@link TaskStatus#rerun()}), with a new pending
     * entry (same key); out of the retention index, so that retention does not delete a task that
     * runs again; and a cancel request left from before the end deleted, or it would cancel the new
     * series. Concurrent re-runs name the same version: one wins.
     *
     * @param indexed whether the task's {@code done/} entry exists (a forged end may lack one)
     * @param cancelRequested whether a {@code cancels/} request exists
     */
    public Submission rerun(
            TaskSpec spec, Versioned<TaskStatus> ended, boolean indexed, boolean cancelRequested)
            throws Exception {
        TaskStatus end = ended.value();
        PendingEntry entry = PendingEntry.of(spec, end.rerun(), after(ended.version()));
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(setStatus(spec.id(), ended.version(), entry.status()));
        ops.add(createPending(entry));
        if (indexed) {
            ops.add(op().delete().forPath(paths.done(spec.id(), end.finishedAtMs())));
        }
        if (cancelRequested) {
            ops.add(op().delete().forPath(paths.cancel(spec.id())));
        }
        return new Submission(ops, entry);
    }

    /**
     * Revoke a stale assignment (leader): the status already names another attempt, so its version
     * has moved on.
     */
    public List<CuratorOp> revokeStale(String workerId, String taskId) throws Exception {
        return List.of(op().delete().forPath(paths.assignment(workerId, taskId)));
    }

    /**
     * Recover a dead attempt to PENDING (leader): assignment (and a dead worker's claim) removed,
     * status over the version read.
     */
    public List<CuratorOp> recoverToPending(
            String workerId,
            String taskId,
            boolean deleteClaim,
            TaskSpec spec,
            int version,
            TaskStatus requeued)
            throws Exception {
        PendingEntry entry = PendingEntry.of(spec, requeued, after(version));
        List<CuratorOp> ops = revoke(workerId, taskId, deleteClaim);
        ops.add(setStatus(taskId, version, requeued));
        ops.add(createPending(entry));
        return ops;
    }

    /**
     * End a dead attempt's task for good (leader): out of attempts, or cancelled while it was lost.
     */
    public List<CuratorOp> recoverToEnd(
            String workerId,
            String taskId,
            boolean deleteClaim,
            int version,
            TaskStatus end,
            boolean clearCancel)
            throws Exception {
        List<CuratorOp> ops = revoke(workerId, taskId, deleteClaim);
        ops.addAll(end(taskId, version, end, clearCancel));
        return ops;
    }

    /** Cancel a pending task (leader): out of the index, CANCELLED, request cleared. */
    public List<CuratorOp> cancelPending(PendingEntry entry, TaskStatus cancelled)
            throws Exception {
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(op().delete().forPath(paths.pending(entry)));
        ops.addAll(end(entry.taskId(), entry.statusVersion(), cancelled, true));
        return ops;
    }

    /** Cancel an assigned, unclaimed task (leader): order revoked, CANCELLED, request cleared. */
    public List<CuratorOp> cancelAssigned(
            String workerId, String taskId, int version, TaskStatus cancelled) throws Exception {
        List<CuratorOp> ops = revoke(workerId, taskId, false);
        ops.addAll(end(taskId, version, cancelled, true));
        return ops;
    }

    /** Ask the worker of a running task to stop it (leader): its order, flagged, at a version. */
    public List<CuratorOp> askToStop(String workerId, int assignmentVersion, Assignment flagged)
            throws Exception {
        return List.of(
                op().setData()
                        .withVersion(assignmentVersion)
                        .forPath(
                                paths.assignment(workerId, flagged.taskId()),
                                DroverJson.encode(flagged)));
    }

    /** A cancel request whose task is over or gone (leader). */
    public List<CuratorOp> clearCancel(String taskId) throws Exception {
        return List.of(op().delete().forPath(paths.cancel(taskId)));
    }

    /**
     * Discard a terminal status beside the task's pending entry (leader): every genuine end removes
     * the entry in the same multi, so this end is forged (docs/security.md). The status goes back
     * to the entry's PENDING; the entry is rewritten, same key, for the new version.
     */
    public List<CuratorOp> restorePending(PendingEntry entry, int forgedVersion) throws Exception {
        PendingEntry again = entry.atVersion(after(forgedVersion));
        String path = paths.pending(entry);
        return List.of(
                setStatus(entry.taskId(), forgedVersion, entry.status()),
                op().delete().forPath(path),
                op().create().forPath(path, DroverJson.encode(again)));
    }

    private List<CuratorOp> revoke(String workerId, String taskId, boolean deleteClaim)
            throws Exception {
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(op().delete().forPath(paths.assignment(workerId, taskId)));
        if (deleteClaim) {
            ops.add(op().delete().forPath(paths.claim(taskId)));
        }
        return ops;
    }

    List<CuratorOp> end(String taskId, int version, TaskStatus end, boolean clearCancel)
            throws Exception {
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(setStatus(taskId, version, end));
        ops.add(op().create().forPath(paths.done(taskId, end.finishedAtMs())));
        if (clearCancel) {
            ops.add(op().delete().forPath(paths.cancel(taskId)));
        }
        return ops;
    }

    private CuratorOp setStatus(String taskId, int version, TaskStatus status) throws Exception {
        return op().setData()
                .withVersion(version)
                .forPath(paths.status(taskId), DroverJson.encode(status));
    }

    private CuratorOp createPending(PendingEntry entry) throws Exception {
        return op().create().forPath(paths.pending(entry), DroverJson.encode(entry));
    }

    private TransactionOp op() {
        return client.transactionOp();
    }
}
