package io.drover.worker.internal;

import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import io.drover.store.StoreOptions;
import io.drover.worker.WorkerConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's ephemeral {@code workers/<id>} node (a Curator {@link PersistentNode}, so it comes
 * back with a new session) and the state it announces: ACTIVE, then DRAINING for good.
 */
final class WorkerAnnouncement implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerAnnouncement.class);
    private static final String VERSION =
            Optional.ofNullable(WorkerImpl.class.getPackage().getImplementationVersion())
                    .orElse("dev");

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final WorkerConfig config;
    private final Collection<String> taskTypes;
    private final boolean servesItems;
    private volatile WorkerState state = WorkerState.ACTIVE;
    private PersistentNode node;

    WorkerAnnouncement(
            CuratorFramework client,
            DroverPaths paths,
            WorkerConfig config,
            Collection<String> taskTypes,
            boolean servesItems) {
        this.client = client;
        this.paths = paths;
        this.config = config;
        this.taskTypes = taskTypes;
        this.servesItems = servesItems;
    }

    /** Creates the node and waits until it is there. Blocking. */
    void start() throws InterruptedException {
        node =
                new PersistentNode(
                        client, CreateMode.EPHEMERAL, false, paths.worker(config.id()), data());
        node.start();
        if (!node.waitForInitialCreate(
                StoreOptions.ZK_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                    "worker "
                            + config.id()
                            + " could not announce itself within "
                            + StoreOptions.ZK_CALL_TIMEOUT.toSeconds()
                            + " s");
        }
    }

    WorkerState state() {
        return state;
    }

    /** Announces DRAINING (asynchronously, through the node); false if it already was. */
    boolean draining() {
        if (state == WorkerState.DRAINING) {
            return false;
        }
        state = WorkerState.DRAINING;
        try {
            node.setData(data());
        } catch (Exception e) {
            LOG.warn("worker {} could not announce DRAINING: {}", config.id(), e.toString());
        }
        return true;
    }

    /**
     * Announces DRAINING and waits (bounded) for ZooKeeper to take it: a worker that stops writes
     * this before its hand-backs, so the leader sees it draining before it sees the tasks pending
     * again.
     */
    void drainingNow(long timeoutMs, boolean connected) {
        state = WorkerState.DRAINING;
        if (!connected) {
            // cut off from ZooKeeper: nothing to announce, and the hand-backs that follow fail fast
            return;
        }
        CompletableFuture<Void> announced = new CompletableFuture<>();
        try {
            client.setData()
                    .inBackground((c, e) -> announced.complete(null))
                    .forPath(paths.worker(config.id()), data());
            announced.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug(
                    "worker {} could not announce DRAINING before stopping: {}",
                    config.id(),
                    e.toString());
        }
    }

    private byte[] data() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown";
        }
        return DroverJson.encode(
                new WorkerInfo(
                        WorkerInfo.FORMAT_VERSION,
                        config.id(),
                        config.capacity(),
                        new ArrayList<>(taskTypes),
                        config.labels(),
                        state,
                        VERSION,
                        host,
                        System.currentTimeMillis(),
                        servesItems));
    }

    @Override
    public void close() {
        if (node != null) {
            try {
                node.close();
            } catch (Exception e) {
                LOG.debug("closing the announcement of {}", config.id(), e);
            }
        }
    }
}
