package io.drover.worker.internal;

import io.drover.model.Claim;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.TaskStatus;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;

/**
 * The worker's fenced writes. Each is one multi that ZooKeeper applies only if the attempt still
 * owns the task: the status must be at the version this worker last saw or wrote.
 */
final class AttemptOps {
    private final CuratorFramework client;
    private final DroverPaths paths;

    AttemptOps(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /** Assignment still there, claim created (ephemeral), status ASSIGNED → RUNNING. */
    List<CuratorOp> claim(Attempt a, TaskStatus running) throws Exception {
        String taskId = a.taskId();
        Claim claim = new Claim(Claim.FORMAT_VERSION, a.workerId, a.attempt(), System.currentTimeMillis());
        return List.of(
                client.transactionOp().check().forPath(paths.assignment(a.workerId, taskId)),
                client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(paths.claim(taskId), DroverJson.encode(claim)),
                client.transactionOp().setData().withVersion(a.assignment.statusVersion())
                        .forPath(paths.status(taskId), DroverJson.encode(running)));
    }

    /** Progress: the RUNNING status again, with the handler's latest report. */
    List<CuratorOp> progress(Attempt a, TaskStatus withProgress) throws Exception {
        return List.of(client.transactionOp().setData().withVersion(a.runningVersion)
                .forPath(paths.status(a.taskId()), DroverJson.encode(withProgress)));
    }

    /** Terminal status over our RUNNING version; assignment and claim removed; the task enters the retention index. */
    List<CuratorOp> commit(Attempt a, TaskStatus terminal, byte[] data) throws Exception {
        String taskId = a.taskId();
        return List.of(
                client.transactionOp().setData().withVersion(a.runningVersion).forPath(paths.status(taskId), data),
                client.transactionOp().delete().forPath(paths.assignment(a.workerId, taskId)),
                client.transactionOp().delete().forPath(paths.claim(taskId)),
                client.transactionOp().create().forPath(paths.done(taskId, terminal.finishedAtMs())));
    }

    /** Back to PENDING as {@code next}: a retry after its backoff, or (same attempt) a hand-back. */
    List<CuratorOp> requeue(Attempt a, TaskStatus next) throws Exception {
        String taskId = a.taskId();
        PendingEntry entry = PendingEntry.of(a.spec, next, a.runningVersion + 1);
        return List.of(
                client.transactionOp().setData().withVersion(a.runningVersion).forPath(paths.status(taskId), DroverJson.encode(next)),
                client.transactionOp().delete().forPath(paths.assignment(a.workerId, taskId)),
                client.transactionOp().delete().forPath(paths.claim(taskId)),
                client.transactionOp().create().forPath(paths.pending(entry), DroverJson.encode(entry)));
    }

    /** A graceful hand-back does not count as a failure: same attempt number, no backoff. */
    List<CuratorOp> handBack(Attempt a) throws Exception {
        return requeue(a, a.runningStatus.requeued(a.attempt(), "handed back by worker " + a.workerId, 0));
    }
}
