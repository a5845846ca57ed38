package io.drover.it;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.coordinator.CoordinatorBuilder;
import io.drover.model.DroverPaths;
import io.drover.store.Layout;
import io.drover.store.StoreOptions;
import io.drover.testkit.ZooKeeperServerExtension;
import io.drover.worker.ItemHandler;
import io.drover.worker.TaskHandler;
import io.drover.worker.Worker;
import io.drover.worker.WorkerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;

/**
 * A Drover cluster inside the test JVM on a real ZooKeeper server: coordinators and workers each
 * with their own ZooKeeper session, all closed at the end. One per test.
 */
public final class ClusterHarness implements AutoCloseable {
    private final ZooKeeperServerExtension zk;
    private final String cluster;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public ClusterHarness(ZooKeeperServerExtension zk) {
        this.zk = zk;
        this.cluster = zk.uniqueCluster();
    }

    public String cluster() {
        return cluster;
    }

    /** A started coordinator with its own session. */
    public Coordinator coordinator(String id) {
        return coordinator(zk.newClient(), id, null);
    }

    /** A started coordinator on the given session, with extra settings. */
    public Coordinator coordinator(
            CuratorFramework session, String id, Consumer<CoordinatorBuilder> extra) {
        CoordinatorBuilder b =
                Coordinator.builder()
                        .client(session)
                        .cluster(cluster)
                        .id(id)
                        .reconcileInterval(Duration.ofSeconds(2));
        if (extra != null) {
            extra.accept(b);
        }
        Coordinator c = b.build();
        c.start();
        closeables.add(c);
        return c;
    }

    /** A started worker that serves items only (no task handlers), with its own session. */
    public Worker itemWorker(String id, ItemHandler handler, Consumer<WorkerBuilder> extra) {
        return worker(
                id,
                1,
                Map.of(),
                b -> {
                    b.itemHandler(handler).itemRetries(2, Duration.ofMillis(10));
                    if (extra != null) {
                        extra.accept(b);
                    }
                });
    }

    /** A started worker with its own session, on the given client. */
    public Worker worker(
            String id,
            int capacity,
            Map<String, TaskHandler> handlers,
            Consumer<WorkerBuilder> extra) {
        return worker(zk.newClient(), id, capacity, handlers, extra);
    }

    public Worker worker(
            CuratorFramework session,
            String id,
            int capacity,
            Map<String, TaskHandler> handlers,
            Consumer<WorkerBuilder> extra) {
        WorkerBuilder b =
                Worker.builder()
                        .client(session)
                        .cluster(cluster)
                        .id(id)
                        .capacity(capacity)
                        .shutdownTimeout(Duration.ofSeconds(5));
        handlers.forEach(b::handler);
        if (extra != null) {
            extra.accept(b);
        }
        Worker w = b.build();
        w.start();
        closeables.add(w);
        return w;
    }

    /**
     * Lays the cluster out as a Drover before layout 2 did (64 buckets), before any process joins;
     * returns its paths in that layout.
     */
    public DroverPaths layOutInLayout1(CuratorFramework session) {
        DroverPaths layout1 = new DroverPaths(cluster);
        layout1.adoptLayout(1);
        Layout.ensure(session, layout1);
        return layout1;
    }

    public DroverClient client() {
        DroverClient c = DroverClient.using(zk.newClient(), cluster, StoreOptions.defaults());
        closeables.add(c);
        return c;
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }
}
