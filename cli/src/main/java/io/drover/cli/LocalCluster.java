package io.drover.cli;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.DroverPaths;
import io.drover.protocol.ZooKeeperClients;
import io.drover.protocol.runtime.NamedThreads;
import io.drover.worker.TaskHandler;
import io.drover.worker.Worker;
import io.drover.worker.WorkerBuilder;
import io.drover.worker.demo.DemoItems;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;

/**
 * An in-process cluster for the quickstart and the benches: an embedded ZooKeeper (unless one is
 * given), one coordinator and N workers, each with its own ZooKeeper session, as separate processes
 * would have. It leaves nothing behind when closed: an embedded server's temporary folder is
 * deleted, and on an outside ZooKeeper the cluster's znodes are (unless {@link #keepOnClose()}).
 */
final class LocalCluster implements AutoCloseable {
    private static final String COORDINATOR_ID = "coordinator-1";

    private final EmbeddedZooKeeper zk;
    private final String connectString;
    private final String cluster;
    private final Coordinator coordinator;
    private final List<Worker> workers = new ArrayList<>();
    private final DroverClient client;
    private final CuratorFramework session;
    private final Security security;
    private volatile boolean keep;

    private LocalCluster(
            EmbeddedZooKeeper zk,
            String connectString,
            String cluster,
            Coordinator coordinator,
            DroverClient client,
            CuratorFramework session,
            Security security) {
        this.zk = zk;
        this.session = session;
        this.security = security;
        this.connectString = connectString;
        this.cluster = cluster;
        this.coordinator = coordinator;
        this.client = client;
    }

    /**
     * How the cluster's processes meet ZooKeeper: {@code base} (TLS or nothing) for all, and with
     * {@code ids} an ACL policy applied first and every process on its own identities.
     */
    record Security(io.drover.protocol.ZooKeeperSecurity base, ClusterIdentities ids) {
        static final Security NONE =
                new Security(io.drover.protocol.ZooKeeperSecurity.none(), null);

        io.drover.protocol.ZooKeeperSecurity of(String... users) {
            return ids == null ? base : ids.security(base, users);
        }
    }

    /**
     * @param zkConnect an existing ZooKeeper, or null to start an embedded one
     * @param dataDir the embedded server's data folder (null: a temporary folder)
     * @param security {@link Security#NONE} for an open cluster
     * @param tuning settings of the coordinator beyond the defaults (a bench's retention, say)
     */
    static LocalCluster start(
            String zkConnect,
            File dataDir,
            int zkPort,
            String cluster,
            int workerCount,
            int capacity,
            Map<String, TaskHandler> handlers,
            Security security,
            java.util.function.UnaryOperator<io.drover.coordinator.CoordinatorBuilder> tuning)
            throws Exception {
        EmbeddedZooKeeper zk = null;
        String connect = zkConnect;
        if (connect == null) {
            zk =
                    dataDir != null
                            ? EmbeddedZooKeeper.start(dataDir, zkPort)
                            : EmbeddedZooKeeper.startInTempDir(zkPort);
            connect = zk.connectString();
        }
        Coordinator coordinator = null;
        CuratorFramework session = null;
        try {
            if (security.ids() != null) {
                security.ids().apply(connect, cluster, security.base());
            }
            coordinator =
                    tuning.apply(
                                    Coordinator.builder()
                                            .connectString(connect)
                                            .zooKeeperSecurity(security.of("coordinator"))
                                            .cluster(cluster)
                                            .id(COORDINATOR_ID))
                            .build();
            coordinator.start();
            // The quickstart and the benches submit up to a million tasks on purpose, to a cluster
            // of their own: the cap on live tasks is sized for that, not for a shared ZooKeeper.
            session =
                    ZooKeeperClients.startAndConnect(
                            ZooKeeperClients.newClient(
                                    connect,
                                    ZooKeeperClients.DEFAULT_SESSION_TIMEOUT,
                                    ZooKeeperClients.DEFAULT_CONNECTION_TIMEOUT,
                                    security.of("client")),
                            connect);
            DroverClient client =
                    DroverClient.using(session, cluster, Backlog.storeOptions(2_000_000));
            LocalCluster lc =
                    new LocalCluster(zk, connect, cluster, coordinator, client, session, security);
            for (int i = 1; i <= workerCount; i++) {
                WorkerBuilder b =
                        Worker.builder()
                                .connectString(connect)
                                .zooKeeperSecurity(security.of("worker", "worker-" + i))
                                .cluster(cluster)
                                .id("worker-" + i)
                                .capacity(capacity)
                                .shutdownTimeout(Duration.ofSeconds(5));
                handlers.forEach(b::handler);
                b.itemHandler(new DemoItems());
                Worker w = b.build();
                w.start();
                lc.workers.add(w);
            }
            coordinator.whenLeaderReady().get(30, TimeUnit.SECONDS);
            return lc;
        } catch (Exception e) {
            if (coordinator != null) {
                coordinator.close();
            }
            if (session != null) {
                session.close();
            }
            if (zk != null) {
                zk.close();
            }
            throw e;
        }
    }

    String connectString() {
        return connectString;
    }

    String cluster() {
        return cluster;
    }

    DroverClient client() {
        return client;
    }

    List<Worker> workers() {
        return workers;
    }

    /**
     * On an outside ZooKeeper, {@link #close()} leaves the cluster's znodes rather than deleting
     * them (to inspect them, or to measure what they cost the server).
     */
    void keepOnClose() {
        keep = true;
    }

    /** The embedded server, or null on an outside ZooKeeper. */
    EmbeddedZooKeeper embedded() {
        return zk;
    }

    /**
     * Each session of this cluster by role ("leader", "worker", "client"), read off the ephemeral
     * nodes that the coordinator and workers own, for {@link ZkLedger}. Blocking.
     */
    Map<Long, String> sessionRoles() throws Exception {
        DroverPaths paths = new DroverPaths(cluster);
        Map<Long, String> roles = new HashMap<>();
        roles.put(session.getZookeeperClient().getZooKeeper().getSessionId(), "client");
        Stat c = session.checkExists().forPath(paths.coordinator(COORDINATOR_ID));
        if (c != null) {
            roles.put(c.getEphemeralOwner(), "leader");
        }
        for (Worker w : workers) {
            Stat s = session.checkExists().forPath(paths.worker(w.id()));
            if (s != null) {
                roles.put(s.getEphemeralOwner(), "worker");
            }
        }
        return roles;
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed =
            new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeWorkers();
        coordinator.close();
        try {
            if (zk == null && !keep) {
                deleteRoot();
            }
        } catch (Exception e) {
            System.err.println(
                    "could not delete " + new DroverPaths(cluster).root() + ": " + e.getMessage());
        } finally {
            client.close();
            session.close();
            if (zk != null) {
                zk.close();
            }
        }
    }

    /**
     * Closes the workers a few at a time: each waits for its session's end and its threads, which
     * one after another took minutes for a thousand workers.
     */
    private void closeWorkers() {
        ExecutorService closing =
                Executors.newFixedThreadPool(
                        Math.min(16, Math.max(1, workers.size())),
                        new NamedThreads("drover-local-cluster-close"));
        try {
            CompletableFuture.allOf(
                            workers.stream()
                                    .map(w -> CompletableFuture.runAsync(w::close, closing))
                                    .toArray(CompletableFuture[]::new))
                    .join();
        } finally {
            closing.shutdown();
        }
    }

    /**
     * An outside ZooKeeper keeps nothing of a bench: the cluster's znodes go, as the admin identity
     * when the cluster has an ACL policy, and {@code /drover} too if no other cluster is in it.
     */
    private void deleteRoot() throws Exception {
        try (CuratorFramework admin =
                ZooKeeperClients.startAndConnect(
                        ZooKeeperClients.newClient(
                                connectString,
                                ZooKeeperClients.DEFAULT_SESSION_TIMEOUT,
                                ZooKeeperClients.DEFAULT_CONNECTION_TIMEOUT,
                                security.of("admin")),
                        connectString)) {
            ZkTrees.delete(
                    admin.getZookeeperClient().getZooKeeper(), new DroverPaths(cluster).root());
            try {
                admin.delete().forPath("/drover"); // only if no other cluster lives there
            } catch (org.apache.zookeeper.KeeperException.NotEmptyException
                    | org.apache.zookeeper.KeeperException.NoNodeException
                    | org.apache.zookeeper.KeeperException.NoAuthException othersUseIt) {
                // another cluster's, or not ours to delete
            }
        }
    }
}
