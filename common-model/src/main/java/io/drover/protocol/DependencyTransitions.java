package io.drover.protocol;

import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.model.WaitingStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.zookeeper.KeeperException;

/**
 * The transitions of a task with dependencies (WAITING), each the ops of one {@code multi}; the
 * sibling of {@link TaskTransitions}, which builds those of every task once it is PENDING. A
 * WAITING task has a {@code waiting/<b>/<id>} entry (no data) instead of a pending entry; the
 * leader moves it on at the status version it read, behind its epoch check. {@code
 * docs/workflows.md} tells the story, {@code DependencyTransitionsTest} pins the ops.
 *
 * <p>Stateless apart from the client and layout; thread-safe. Builders only: nothing is sent here.
 */
public final class DependencyTransitions {
    private final CuratorFramework client;
    private final DroverPaths paths;

    public DependencyTransitions(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /**
     * Submit with dependencies: spec, WAITING status (version 0) and waiting entry, created
     * together, and a {@code check} that each task of {@code mustExist} has a status, so that a
     * dependency on a task that does not exist writes nothing ({@link #missingTask} names it). The
     * checks come after the creates: a resubmission of the same task fails on its spec first, as an
     * idempotent submission must.
     */
    public List<CuratorOp> submit(TaskSpec stamped, byte[] specBytes, Collection<String> mustExist)
            throws Exception {
        TaskStatus status = WaitingStatus.of(stamped, specBytes.length);
        List<CuratorOp> ops = new ArrayList<>(3 + mustExist.size());
        ops.add(op().create().forPath(paths.task(stamped.id()), specBytes));
        ops.add(op().create().forPath(paths.status(stamped.id()), DroverJson.encode(status)));
        ops.add(op().create().forPath(paths.waiting(stamped.id())));
        for (String parent : mustExist) {
            ops.add(op().check().forPath(paths.status(parent)));
        }
        return ops;
    }

    /**
     * Release (leader): every dependency succeeded, or the task runs anyway. WAITING → PENDING at
     * the version read, out of {@code waiting/}, into the pending index.
     */
    public List<CuratorOp> release(String taskId, int version, PendingEntry entry)
            throws Exception {
        return List.of(
                setStatus(taskId, version, entry.status()),
                op().delete().forPath(paths.waiting(taskId)),
                op().create().forPath(paths.pending(entry), DroverJson.encode(entry)));
    }

    /**
     * Cancel a WAITING task (leader): a dependency failed, or someone asked. Out of {@code
     * waiting/}, CANCELLED at the version read, into the retention index, and the request cleared
     * if there is one.
     */
    public List<CuratorOp> cancel(String taskId, int version, TaskStatus end, boolean clearCancel)
            throws Exception {
        List<CuratorOp> ops = new ArrayList<>(4);
        ops.add(op().delete().forPath(paths.waiting(taskId)));
        ops.add(setStatus(taskId, version, end));
        ops.add(op().create().forPath(paths.done(taskId, end.finishedAtMs())));
        if (clearCancel) {
            ops.add(op().delete().forPath(paths.cancel(taskId)));
        }
        return ops;
    }

    /**
     * Re-run of a task with dependencies (any client): as {@link TaskTransitions#rerun}, but the
     * task waits for its dependencies again ({@link WaitingStatus#rerun}) instead of pending.
     */
    public List<CuratorOp> rerun(
            TaskSpec spec, Versioned<TaskStatus> ended, boolean indexed, boolean cancelRequested)
            throws Exception {
        TaskStatus end = ended.value();
        List<CuratorOp> ops = new ArrayList<>(4);
        ops.add(setStatus(spec.id(), ended.version(), WaitingStatus.rerun(end)));
        ops.add(op().create().forPath(paths.waiting(spec.id())));
        if (indexed) {
            ops.add(op().delete().forPath(paths.done(spec.id(), end.finishedAtMs())));
        }
        if (cancelRequested) {
            ops.add(op().delete().forPath(paths.cancel(spec.id())));
        }
        return ops;
    }

    /**
     * Take back a task staged for a graph that was never sealed (the submitter, or the leader once
     * the staging is abandoned): waiting entry, status at the version read, spec.
     */
    public List<CuratorOp> discard(String taskId, int version) throws Exception {
        return List.of(
                op().delete().forPath(paths.waiting(taskId)),
                op().delete().withVersion(version).forPath(paths.status(taskId)),
                op().delete().forPath(paths.task(taskId)));
    }

    /**
     * The task a failed {@link #submit} named that does not exist, or null when the failure was
     * something else: the {@code check} of its status found no node.
     */
    public String missingTask(Throwable failure) {
        if (failure instanceof KeeperException.NoNodeException e
                && e.getPath() != null
                && e.getPath().startsWith(paths.statuses() + "/")) {
            return DroverPaths.nodeName(e.getPath());
        }
        return null;
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
