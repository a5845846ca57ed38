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
 * The worker's three fenced writes. Each is one multi that ZooKeeper applies only if the attempt
 * still owns the task: the status must be at the version this worker last saw or wrote.
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

    /** Terminal status written over our RUNNING version; assignment and claim removed. */
    List<CuratorOp> commit(Attempt a, byte[] terminalStatus) throws Exception {
        String taskId = a.taskId();
        return List.of(
                client.transactionOp().setData().withVersion(a.runningVersion).forPath(paths.status(taskId), terminalStatus),
                client.transactionOp().delete().forPath(paths.assignment(a.workerId, taskId)),
                client.transactionOp().delete().forPath(paths.claim(taskId)));
    }

    /** Back to PENDING with the same attempt number: a graceful hand-back does not count as a failure. */
    List<CuratorOp> handBack(Attempt a) throws Exception {
        String taskId = a.taskId();
        TaskStatus pending = a.runningStatus.requeued(a.attempt(), "handed back by worker " + a.workerId);
        PendingEntry entry = PendingEntry.of(a.spec, pending, a.runningVersion + 1);
        return List.of(
                client.transactionOp().setData().withVersion(a.runningVersion).forPath(paths.status(taskId), DroverJson.encode(pending)),
                client.transactionOp().delete().forPath(paths.assignment(a.workerId, taskId)),
                client.transactionOp().delete().forPath(paths.claim(taskId)),
                client.transactionOp().create().forPath(paths.pending(entry), DroverJson.encode(entry)));
    }
}
