package io.drover.cli;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.store.StoreOptions;
import io.drover.worker.TaskHandler;
import io.drover.worker.Worker;
import io.drover.worker.WorkerBuilder;
import io.drover.worker.demo.DemoItems;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An in-process cluster for the quickstart and the bench: an embedded ZooKeeper (unless one is
 * given), one coordinator and N workers, each with its own ZooKeeper session, as separate processes
 * would have.
 */
final class LocalCluster implements AutoCloseable {
    private final EmbeddedZooKeeper zk;
    private final String connectString;
    private final String cluster;
    private final Coordinator coordinator;
    private final List<Worker> workers = new ArrayList<>();
    private final DroverClient client;

    private LocalCluster(
            EmbeddedZooKeeper zk,
            String connectString,
            String cluster,
            Coordinator coordinator,
            DroverClient client) {
        this.zk = zk;
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
     */
    static LocalCluster start(
            String zkConnect,
            File dataDir,
            int zkPort,
            String cluster,
            int workerCount,
            int capacity,
            Map<String, TaskHandler> handlers,
            Security security)
            throws Exception {
        EmbeddedZooKeeper zk = null;
        String connect = zkConnect;
        if (connect == null) {
            File dir = dataDir != null ? dataDir : Files.createTempDirectory("drover-zk").toFile();
            zk = EmbeddedZooKeeper.start(dir, zkPort);
            connect = zk.connectString();
        }
        Coordinator coordinator = null;
        try {
            if (security.ids() != null) {
                security.ids().apply(connect, cluster, security.base());
            }
            coordinator =
                    Coordinator.builder()
                            .connectString(connect)
                            .zooKeeperSecurity(security.of("coordinator"))
                            .cluster(cluster)
                            .id("coordinator-1")
                            .build();
            coordinator.start();
            // The quickstart and the benches submit up to a million tasks on purpose, to a cluster
            // of their own: the cap on live tasks is sized for that, not for a shared ZooKeeper.
            DroverClient client =
                    DroverClient.connect(
                            connect,
                            cluster,
                            StoreOptions.defaults().withMaxLiveTasks(2_000_000),
                            security.of("client"));
            LocalCluster lc = new LocalCluster(zk, connect, cluster, coordinator, client);
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

    private final java.util.concurrent.atomic.AtomicBoolean closed =
            new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        client.close();
        workers.forEach(Worker::close);
        coordinator.close();
        if (zk != null) {
            zk.close();
        }
    }
}
