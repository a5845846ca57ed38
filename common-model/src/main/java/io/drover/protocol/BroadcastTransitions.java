package io.drover.protocol;

import io.drover.model.BroadcastGathering;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.TransactionOp;

/**
 * The ZooKeeper transitions of a broadcast, each the ops of one {@code multi} the leader sends
 * behind its epoch check ({@link TaskTransitions} has those of every task, responses included). The
 * gathering node {@code broadcasts/<id>} is the broadcast's fence: the fan-out creates it with the
 * parent's move to WAITING, every response is created only while it exists, and the end deletes it
 * with the parent's terminal status, so no response appears after the end and no end is written
 * twice. {@code docs/broadcast.md} tells the story, {@code BroadcastTransitionsTest} pins the ops.
 *
 * <p>Stateless apart from the client and layout; thread-safe. Builders only: nothing is sent here.
 */
public final class BroadcastTransitions {
    private final CuratorFramework client;
    private final DroverPaths paths;
    private final TaskTransitions tasks;

    public BroadcastTransitions(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
        this.tasks = new TaskTransitions(client, paths);
    }

    /** The status of a broadcast gathering its responses: its PENDING status, WAITING. */
    public static TaskStatus waiting(TaskStatus pending) {
        TaskStatus p = pending;
        return new TaskStatus(
                p.formatVersion(),
                p.taskId(),
                p.type(),
                TaskState.WAITING,
                p.attempt(),
                p.maxAttempts(),
                null,
                p.epoch(),
                p.fencingToken(),
                p.submittedAtMs(),
                0,
                0,
                0,
                null,
                null,
                0,
                null,
                p.submitSeq(),
                p.submittedBy(),
                p.specBytes(),
                p.attempts(),
                p.reruns(),
                null,
                p.unknown());
    }

    /**
     * Fan-out (leader): the broadcast's entry leaves the index, its status moves PENDING → WAITING
     * at the entry's version, and the gathering (the worker set and the deadline) is created.
     */
    public List<CuratorOp> fanOut(PendingEntry parent, BroadcastGathering gathering)
            throws Exception {
        return List.of(
                op().delete().forPath(paths.pending(parent)),
                setStatus(parent.taskId(), parent.statusVersion(), waiting(parent.status())),
                op().create()
                        .forPath(paths.broadcast(parent.taskId()), DroverJson.encode(gathering)));
    }

    /**
     * A response (leader): submitted like any task (spec, PENDING status, pending entry), only
     * while its broadcast still gathers.
     */
    public TaskTransitions.Submission respond(String parentId, TaskSpec stamped, byte[] specBytes)
            throws Exception {
        TaskTransitions.Submission s = tasks.submit(stamped, specBytes);
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(op().check().forPath(paths.broadcast(parentId)));
        ops.addAll(s.ops());
        return new TaskTransitions.Submission(ops, s.entry());
    }

    /**
     * End (leader): the WAITING broadcast ends at its version, into the retention index; its
     * gathering is deleted; each response still running gets a cancel request (they no longer
     * count), and the broadcast's own cancel request, if it was one, is cleared.
     */
    public List<CuratorOp> end(
            String parentId,
            int version,
            TaskStatus end,
            List<String> cancelResponses,
            boolean clearCancel)
            throws Exception {
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(setStatus(parentId, version, end));
        ops.add(op().create().forPath(paths.done(parentId, end.finishedAtMs())));
        ops.add(op().delete().forPath(paths.broadcast(parentId)));
        if (clearCancel) {
            ops.add(op().delete().forPath(paths.cancel(parentId)));
        }
        for (String response : cancelResponses) {
            ops.add(op().create().forPath(paths.cancel(response)));
        }
        return ops;
    }

    /**
     * End a pending task at once (leader): a broadcast that reached no worker, or a response whose
     * worker is gone. Out of the index, the terminal status at the entry's version, into the
     * retention index.
     */
    public List<CuratorOp> endPending(PendingEntry entry, TaskStatus end) throws Exception {
        return List.of(
                op().delete().forPath(paths.pending(entry)),
                setStatus(entry.taskId(), entry.statusVersion(), end),
                op().create().forPath(paths.done(entry.taskId(), end.finishedAtMs())));
    }

    /** Drop the gathering of a broadcast that no longer waits (leader; a repair). */
    public List<CuratorOp> discard(String parentId) throws Exception {
        return List.of(op().delete().forPath(paths.broadcast(parentId)));
    }

    private CuratorOp setStatus(String taskId, int version, TaskStatus status) throws Exception {
        return op().setData()
                .withVersion(version)
                .forPath(paths.status(taskId), DroverJson.encode(status));
    }

    private TransactionOp op() {
        return client.transactionOp();
    }
}
