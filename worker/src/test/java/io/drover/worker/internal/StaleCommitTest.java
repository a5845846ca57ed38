package io.drover.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.model.Assignment;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.protocol.TaskTransitions;
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
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    /**
     * The stale worker's commit would find everything else in place (the same worker id holds the
     * task's assignment and claim again), so the status version alone must refuse it; a commit
     * without that check would overwrite the new attempt's status and delete its claim.
     */
    @Test
    void
            sessionExpiresAfterClaim_sameWorkerIdRunsTheNextAttempt_staleCommitRejectedByTheStatusVersionAlone()
                    throws Exception {
        DroverPaths paths = new DroverPaths(ZK.uniqueCluster());
        CuratorFramework leader = ZK.newClient();
        Layout.ensure(leader, paths);
        TaskStore store = new TaskStore(leader, paths, StoreOptions.defaults());
        TaskSpec spec = TaskSpec.builder("t").id("task-1").build();
        store.submit(spec).join();

        CuratorFramework sessionA = ZK.newClient();
        Attempt a = claim(sessionA, paths, assign(leader, paths, "wa"), "wa");
        Faults.expireSession(sessionA, ZK.connectString());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> leader.checkExists().forPath(paths.claim("task-1")) == null);
        // The leader returns the task to pending; the worker, restarted under the same id, claims
        // attempt 2.
        var running = store.status("task-1").join().orElseThrow();
        leader.transaction()
                .forOperations(
                        new TaskTransitions(leader, paths)
                                .recoverToPending(
                                        "wa",
                                        "task-1",
                                        false,
                                        store.spec("task-1").join().orElseThrow(),
                                        running.version(),
                                        running.value().requeued(2, "worker wa lost", 0)));
        Attempt b = claim(ZK.newClient(), paths, assign(leader, paths, "wa"), "wa");
        awaitConnected(sessionA);
        assertThat(leader.checkExists().forPath(paths.assignment("wa", "task-1")))
                .as("the new attempt's order")
                .isNotNull();
        assertThat(leader.checkExists().forPath(paths.claim("task-1")))
                .as("the new attempt's claim")
                .isNotNull();

        TaskStatus stale =
                a.runningStatus.finished(
                        TaskState.SUCCEEDED, a.token, null, null, System.currentTimeMillis());
        assertThatThrownBy(
                        () ->
                                sessionA.transaction()
                                        .forOperations(
                                                new AttemptOps(sessionA, paths)
                                                        .commit(
                                                                a,
                                                                stale,
                                                                DroverJson.encode(stale))))
                .isInstanceOf(KeeperException.BadVersionException.class);

        TaskStatus now = store.status("task-1").join().orElseThrow().value();
        assertThat(now.state()).isEqualTo(TaskState.RUNNING);
        assertThat(now.attempt()).isEqualTo(2);
        assertThat(leader.checkExists().forPath(paths.claim("task-1")))
                .as("the new attempt's claim survives")
                .isNotNull();
        assertThat(b.token).isGreaterThan(a.token);
    }

    /**
     * Writes what the leader would: the pending entry out, status ASSIGNED, the assignment node.
     */
    private static Assignment assign(CuratorFramework leader, DroverPaths paths, String worker)
            throws Exception {
        TaskStore store = new TaskStore(leader, paths, StoreOptions.defaults());
        var current = store.status("task-1").join().orElseThrow();
        if (leader.checkExists().forPath(paths.assignments(worker)) == null) {
            leader.create().creatingParentsIfNeeded().forPath(paths.assignments(worker));
        }
        PendingEntry entry =
                PendingEntry.of(
                        store.spec("task-1").join().orElseThrow(),
                        current.value(),
                        current.version());
        TaskTransitions.Assigning assigning =
                new TaskTransitions(leader, paths)
                        .assign(entry, worker, 1, System.currentTimeMillis());
        leader.transaction().forOperations(assigning.ops());
        return assigning.assignment();
    }

    private static Attempt claim(
            CuratorFramework session, DroverPaths paths, Assignment assignment, String worker)
            throws Exception {
        Attempt a = new Attempt(assignment, worker, x -> {});
        TaskStatus running = assignment.status().running(System.currentTimeMillis());
        List<CuratorTransactionResult> r =
                session.transaction()
                        .forOperations(new AttemptOps(session, paths).claim(a, running));
        a.runningStatus = running;
        a.runningVersion = r.get(AttemptOps.CLAIM_STATUS_RESULT).getResultStat().getVersion();
        a.token = r.get(AttemptOps.CLAIM_STATUS_RESULT).getResultStat().getMzxid();
        return a;
    }

    private static void awaitConnected(CuratorFramework client) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.getZookeeperClient().isConnected());
    }
}
