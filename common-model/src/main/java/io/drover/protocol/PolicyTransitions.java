package io.drover.protocol;

import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;

/**
 * The transitions a type's policy makes the leader write when the type's circuit breaker is OPEN
 * (docs/policies.md): a pending task failed fast, and an assignment that runs a task as its type's
 * fallback. Built on {@link TaskTransitions}, so the fence is the same: the pending entry is
 * deleted and the status written at the entry's version in one multi, behind the leader's epoch
 * check (its writer adds it); a task claimed, cancelled or requeued meanwhile makes it fail.
 *
 * <p>Stateless apart from the client and layout; thread-safe. Builders only: nothing is sent here.
 */
public final class PolicyTransitions {
    private final CuratorFramework client;
    private final DroverPaths paths;
    private final TaskTransitions tasks;

    public PolicyTransitions(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
        this.tasks = new TaskTransitions(client, paths);
    }

    /** The FAILED status of a pending task that fails fast, with why. */
    public static TaskStatus failedFast(TaskStatus pending, String why, long nowMs) {
        return pending.runningAs(null)
                .finished(TaskState.FAILED, pending.fencingToken(), null, why, nowMs);
    }

    /**
     * Fail a pending task fast (leader): out of the index, FAILED at the entry's version, into the
     * retention index. A cancel request, if any, stays for the leader's cancellations to clear.
     */
    public List<CuratorOp> failPending(PendingEntry entry, TaskStatus failed) throws Exception {
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(client.transactionOp().delete().forPath(paths.pending(entry)));
        ops.addAll(tasks.end(entry.taskId(), entry.statusVersion(), failed, false));
        return ops;
    }

    /**
     * Assign (leader), to run as {@code runAs} (null: as the task's own type): {@link
     * TaskTransitions#assign} with the status naming it, so the worker picks that type's handler.
     */
    public TaskTransitions.Assigning assign(
            PendingEntry entry, String workerId, String runAs, long epoch, long nowMs)
            throws Exception {
        PendingEntry routed =
                new PendingEntry(
                        entry.formatVersion(),
                        entry.priority(),
                        entry.requiredLabels(),
                        entry.status().runningAs(runAs),
                        entry.statusVersion(),
                        entry.spec(),
                        entry.broadcast(),
                        entry.targetWorker());
        return tasks.assign(routed, workerId, epoch, nowMs);
    }
}
