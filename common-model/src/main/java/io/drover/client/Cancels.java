package io.drover.client;

import io.drover.model.DroverPaths;
import io.drover.model.TaskStatus;
import io.drover.protocol.ZooKeeperCalls;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** {@link DroverClient#cancel}: the request recorded in {@code cancels/<id>}. Never blocks. */
final class Cancels {
    private Cancels() {}

    /**
     * Records the request unless the task (as read: {@code s}) has ended; a request already there
     * is as good as a new one.
     */
    static CompletableFuture<CancelResult> request(
            CuratorFramework client, DroverPaths paths, TaskStatus s) {
        String taskId = s.taskId();
        if (s.state().isTerminal()) {
            return CompletableFuture.completedFuture(
                    new CancelResult(taskId, CancelResult.Outcome.ALREADY_TERMINAL, s.state()));
        }
        CompletableFuture<CancelResult> f = new CompletableFuture<>();
        try {
            client.create()
                    .inBackground(
                            (c, e) -> {
                                KeeperException.Code rc =
                                        KeeperException.Code.get(e.getResultCode());
                                if (rc == KeeperException.Code.OK
                                        || rc == KeeperException.Code.NODEEXISTS) {
                                    f.complete(
                                            new CancelResult(
                                                    taskId,
                                                    CancelResult.Outcome.REQUESTED,
                                                    s.state()));
                                } else {
                                    f.completeExceptionally(
                                            ZooKeeperCalls.translate(
                                                    "cancel task " + taskId,
                                                    KeeperException.create(rc)));
                                }
                            })
                    .forPath(paths.cancel(taskId));
        } catch (Exception e) {
            f.completeExceptionally(ZooKeeperCalls.translate("cancel task " + taskId, e));
        }
        return f;
    }
}
