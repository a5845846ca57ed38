package io.drover.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.model.Assignment;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.store.Layout;
import io.drover.store.StoreOptions;
import io.drover.store.TaskStore;
import io.drover.testkit.Faults;
import io.drover.testkit.ZooKeeperServerExtension;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker's fenced writes, sent straight to ZooKeeper as the worker builds them: a stale
 * attempt's commit is refused by ZooKeeper itself, whatever the stale worker believes.
 */
class StaleCommitTest {
    @RegisterExtension
    static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    @Test
    void sessionExpiresAfterClaim_taskReclaimedElsewhere_staleCommitRejectedAndStatusUntouched() throws Exception {
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        CuratorFramework leader = ZK.newClient();
        Layout.ensure(leader, paths);
        TaskStore store = new TaskStore(leader, paths, StoreOptions.defaults());
        store.submit(TaskSpec.builder("t").id("task-1").build()).join();

        CuratorFramework sessionA = ZK.newClient();
        Attempt a = claim(sessionA, paths, assign(leader, paths, "wa"), "wa");
        Faults.expireSession(sessionA, ZK.connectString());
        await().atMost(Duration.ofSeconds(20)).until(() -> leader.checkExists().forPath(paths.claim("task-1")) == null);
        // The leader returns the task to pending and worker B claims the next attempt.
        TaskStatus running = store.status("task-1").join().orElseThrow().value();
        int version = store.status("task-1").join().orElseThrow().version();
        leader.transaction().forOperations(
                leader.transactionOp().delete().forPath(paths.assignment("wa", "task-1")),
                leader.transactionOp().setData().withVersion(version).forPath(paths.status("task-1"),
                        DroverJson.encode(running.requeued(2, "worker wa lost", 0))));
        Attempt b = claim(ZK.newClient(), paths, assign(leader, paths, "wb"), "wb");
        awaitConnected(sessionA);

        TaskStatus stale = a.runningStatus.finished(TaskState.SUCCEEDED, a.token, null, null, System.currentTimeMillis());
        assertThatThrownBy(() -> sessionA.transaction().forOperations(new AttemptOps(sessionA, paths).commit(a, stale, DroverJson.encode(stale))))
                .isInstanceOf(KeeperException.class);

        TaskStatus now = store.status("task-1").join().orElseThrow().value();
        assertThat(now.state()).isEqualTo(TaskState.RUNNING);
        assertThat(now.workerId()).isEqualTo("wb");
        assertThat(now.attempt()).isEqualTo(2);
        assertThat(b.token).isGreaterThan(a.token);
    }

    /** Writes what the leader would: status ASSIGNED and the assignment node. */
    private static Assignment assign(CuratorFramework leader, DroverPaths paths, String worker) throws Exception {
        var current = new TaskStore(leader, paths, StoreOptions.defaults()).status("task-1").join().orElseThrow();
        leader.create().creatingParentsIfNeeded().forPath(paths.assignments(worker));
        TaskStatus assigned = current.value().assigned(worker, 1, System.currentTimeMillis());
        Assignment assignment = new Assignment(Assignment.FORMAT_VERSION, assigned, current.version() + 1, null);
        leader.transaction().forOperations(
                leader.transactionOp().setData().withVersion(current.version()).forPath(paths.status("task-1"), DroverJson.encode(assigned)),
                leader.transactionOp().create().forPath(paths.assignment(worker, "task-1"), DroverJson.encode(assignment)));
        return assignment;
    }

    private static Attempt claim(CuratorFramework session, DroverPaths paths, Assignment assignment, String worker) throws Exception {
        Attempt a = new Attempt(assignment, worker, x -> { });
        TaskStatus running = assignment.status().running(System.currentTimeMillis());
        List<CuratorTransactionResult> r = session.transaction().forOperations(new AttemptOps(session, paths).claim(a, running));
        a.runningStatus = running;
        a.runningVersion = r.get(2).getResultStat().getVersion();
        a.token = r.get(2).getResultStat().getMzxid();
        return a;
    }

    private static void awaitConnected(CuratorFramework client) {
        await().atMost(Duration.ofSeconds(20)).until(() -> client.getZookeeperClient().isConnected());
    }
}
