package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.protocol.acl.AclSweep;
import io.drover.store.StoreOptions;
import io.drover.testkit.ZooKeeperServerExtension;
import io.drover.worker.demo.DemoHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster with an ACL policy: every process holds its role's digest identity (a worker also its
 * own), tasks run as before, and each role's forbidden writes fail in ZooKeeper with {@code
 * NoAuth}.
 */
class ZooKeeperAclIT {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();
    @TempDir Path dir;

    private ClusterHarness cluster;
    private SecureIdentities ids;
    private DroverPaths paths;
    private String taskId;

    @BeforeEach
    void secureClusterRunsTasks() throws Exception {
        cluster = new ClusterHarness(ZK);
        paths = new DroverPaths(cluster.cluster());
        List<String> workers = List.of("w1", "w2");
        ids = new SecureIdentities(ZK.connectString(), dir, workers);
        assertThat(ids.apply(cluster.cluster())).isNotNull();

        Coordinator c = cluster.coordinator(ids.session("coordinator"), "c1", null);
        for (String w : workers) {
            cluster.worker(
                    ids.workerSession(w),
                    w,
                    4,
                    DemoHandlers.all(),
                    b -> b.itemHandler(new io.drover.worker.demo.DemoItems()));
        }
        c.whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient client =
                DroverClient.using(
                        ids.session("client"), cluster.cluster(), StoreOptions.defaults());
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            submitted.add(
                    client.submit(
                                    TaskSpec.builder("echo")
                                            .payload(
                                                    io.drover.model.DroverJson.parsePayload(
                                                            "{\"i\":" + i + "}"))
                                            .build())
                            .join()
                            .taskId());
        }
        // Items too: the leader writes load commands in the workers' queues, and each worker
        // deletes them and declares what it serves in its own folders.
        client.items().put(io.drover.model.ItemSpec.of("segment-1", 2));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> client.items().get("segment-1").orElseThrow().servedBy().size() == 2);
        List<TaskStatus> done = client.awaitAll(submitted, Duration.ofSeconds(60));
        assertThat(done).extracting(TaskStatus::state).containsOnly(TaskState.SUCCEEDED);
        assertThat(done).extracting(TaskStatus::workerId).contains("w1", "w2");
        taskId = submitted.get(0);
        client.close();
    }

    @AfterEach
    void stop() {
        cluster.close();
        ids.close();
    }

    @Test
    void aRerun_isRefusedToTheClientIdentity_andDoneWithTheCoordinators() throws Exception {
        DroverClient asClient =
                DroverClient.using(
                        ids.session("client"), cluster.cluster(), StoreOptions.defaults());
        DroverClient asCoordinator =
                DroverClient.using(
                        ids.session("coordinator"), cluster.cluster(), StoreOptions.defaults());
        try {
            String failed =
                    asClient.submit(TaskSpec.builder("fail").maxAttempts(1).build())
                            .join()
                            .taskId();
            assertThat(asClient.await(failed, Duration.ofSeconds(30)).state())
                    .isEqualTo(TaskState.FAILED);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> asClient.retry(failed).join())
                    .cause()
                    .isInstanceOf(io.drover.model.AccessDeniedException.class)
                    .hasMessageContaining("retry through the HTTP API");
            TaskStatus pending = asCoordinator.retry(failed).get(10, TimeUnit.SECONDS);

            assertThat(pending.series()).isEqualTo(2);
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> asClient.status(failed).join().attempts().size() == 2);
        } finally {
            asClient.close();
            asCoordinator.close();
        }
    }

    /** What one attempt returned: "NoAuth", "ok", or another error's code. */
    private interface ZkCall {
        void run(CuratorFramework zk) throws Exception;
    }

    private static String attempt(CuratorFramework zk, ZkCall call) {
        try {
            call.run(zk);
            return "ok";
        } catch (KeeperException e) {
            return e.code() == KeeperException.Code.NOAUTH ? "NoAuth" : e.code().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void eachRolesForbiddenWrites_failWithNoAuth() throws Exception {
        CuratorFramework worker = ids.workerSession("w1");
        CuratorFramework client = ids.session("client");
        CuratorFramework coordinator = ids.session("coordinator");
        CuratorFramework anonymous = ids.session();
        String status = paths.status(taskId);
        byte[] junk = "{}".getBytes();

        Map<String, String> tried = new LinkedHashMap<>();
        tried.put(
                "worker: bump leader/epoch",
                attempt(worker, z -> z.setData().forPath(paths.leaderEpoch(), junk)));
        tried.put(
                "worker: write an assignment for itself",
                attempt(worker, z -> z.create().forPath(paths.assignment("w1", "forged"), junk)));
        tried.put(
                "worker: write an assignment for another worker",
                attempt(worker, z -> z.create().forPath(paths.assignment("w2", "forged"), junk)));
        tried.put(
                "worker: touch another worker's folder",
                attempt(worker, z -> z.setData().forPath(paths.assignments("w2"), junk)));
        tried.put(
                "worker: rewrite another worker's announcement",
                attempt(worker, z -> z.setData().forPath(paths.worker("w2"), junk)));
        tried.put(
                "worker: write a load command",
                attempt(worker, z -> z.create().forPath(paths.loadCommand("w1", "forged"), junk)));
        tried.put(
                "worker: write an item",
                attempt(worker, z -> z.create().forPath(paths.item("forged"), junk)));
        tried.put(
                "worker: write a type policy",
                attempt(worker, z -> z.create().forPath(paths.type("forged"), junk)));
        tried.put(
                "worker: delete a task's spec",
                attempt(worker, z -> z.delete().forPath(paths.task(taskId))));
        tried.put(
                "worker: rewrite the ACL policy",
                attempt(worker, z -> z.setData().forPath(paths.aclPolicy(), junk)));
        tried.put(
                "client: write an assignment",
                attempt(client, z -> z.create().forPath(paths.assignment("w1", "forged"), junk)));
        tried.put(
                "client: bump leader/epoch",
                attempt(client, z -> z.setData().forPath(paths.leaderEpoch(), junk)));
        tried.put(
                "client: write a task's status",
                attempt(client, z -> z.setData().forPath(status, junk)));
        tried.put(
                "client: create a claim",
                attempt(client, z -> z.create().forPath(paths.claim("forged"), junk)));
        tried.put(
                "client: delete a pending entry folder's child",
                attempt(client, z -> z.delete().forPath(paths.pending() + "/00")));
        tried.put(
                "coordinator: rewrite the ACL policy",
                attempt(coordinator, z -> z.setData().forPath(paths.aclPolicy(), junk)));
        tried.put(
                "coordinator: write a worker's served record",
                attempt(
                        coordinator,
                        z -> z.create().forPath(paths.servedItem("w1", "forged"), junk)));
        tried.put(
                "anonymous: read a task's spec",
                attempt(anonymous, z -> z.getData().forPath(paths.task(taskId))));
        tried.put(
                "anonymous: submit (create a pending entry)",
                attempt(anonymous, z -> z.create().forPath(paths.pending() + "/00/forged", junk)));
        tried.put(
                "anonymous: create a worker announcement",
                attempt(anonymous, z -> z.create().forPath(paths.worker("w9"), junk)));

        // Last: a recursive delete removes what the role may delete before it meets a NoAuth.
        tried.put(
                "worker: delete the tree",
                attempt(worker, z -> z.delete().deletingChildrenIfNeeded().forPath(paths.root())));
        tried.put(
                "coordinator: delete the tree",
                attempt(
                        coordinator,
                        z -> z.delete().deletingChildrenIfNeeded().forPath(paths.root())));
        tried.forEach((what, outcome) -> System.out.println(what + " -> " + outcome));
        assertThat(tried)
                .allSatisfy((what, outcome) -> assertThat(outcome).as(what).isEqualTo("NoAuth"));

        // The tasks are still there, and their owners may still write what is theirs.
        CuratorFramework admin = ids.session("admin");
        assertThat(attempt(admin, z -> z.getData().forPath(paths.task(taskId)))).isEqualTo("ok");
        assertThat(attempt(admin, z -> z.getData().forPath(status))).isEqualTo("ok");
        assertThat(attempt(worker, z -> z.setData().forPath(paths.assignments("w1"), new byte[0])))
                .isEqualTo("ok");
    }

    @Test
    void aclCheck_findsNothingAfterARun_andReportsANodeAHandGaveTheWrongAcl() throws Exception {
        CuratorFramework admin = ids.session("admin");
        assertThat(AclSweep.check(admin, paths)).isEmpty();

        admin.setACL()
                .withACL(org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE)
                .forPath(paths.task(taskId));
        List<AclSweep.Mismatch> found = AclSweep.check(admin, paths);
        assertThat(found).extracting(AclSweep.Mismatch::path).containsExactly(paths.task(taskId));

        ids.apply(cluster.cluster());
        assertThat(AclSweep.check(admin, paths)).isEmpty();
    }
}
