package io.drover.store;

import io.drover.model.DroverException;
import io.drover.model.DroverPaths;
import io.drover.model.PendingKey;
import io.drover.model.Versioned;
import io.drover.protocol.Fsck;
import io.drover.protocol.runtime.BatchedReader;
import io.drover.protocol.runtime.MultiBatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/**
 * Moves a cluster from layout 1 (64 buckets) to layout 2 (256) in place: {@code drover layout
 * upgrade}. Its coordinators and workers must be stopped, and so must anything that submits
 * straight to ZooKeeper; tasks in every state, retained results and assignments of stopped workers
 * come through, because every node keeps its data and its version.
 *
 * <p>The steps: mark the layout {@code upgradingTo: 2} (a process that starts meanwhile refuses to,
 * see {@link Layout#ensure}); refuse, and take the mark back, while any coordinator or worker is
 * still registered; create the 192 new bucket folders; move every task node whose layout-2 bucket
 * differs from its layout-1 one (three in four; a layout-1 bucket {@code b} splits into {@code b},
 * {@code b+64}, {@code b+128} and {@code b+192}); then mark the layout 2. A run that stops half-way
 * leaves the mark, and the next run carries on where it stopped. Blocking; single-threaded.
 */
public final class LayoutUpgrade {
    /** The bucketed folders whose children are named by their task id. */
    private static final List<String> FOLDERS = List.of("tasks", "status", "waiting");

    /**
     * What a run did.
     *
     * @param fromLayout the layout the cluster was in (2 when there was nothing to do)
     * @param moved nodes moved, by folder ({@code tasks}, {@code status}, ...)
     * @param stayed nodes already in their layout-2 bucket
     * @param done whether the cluster is in layout 2 now; not while a node is left unmoved
     * @param quarantined nodes that stood at a task's new path, moved to {@code quarantine/<run>/}
     *     (no task's: a layout-1 cluster has nothing there) before the task's node took the path
     * @param stuck nodes left where they were because they kept changing under the move (the
     *     cluster was not stopped)
     * @param unreadable names that are no task's, left for {@code drover fsck}
     */
    public record Report(
            int fromLayout,
            boolean done,
            Map<String, Long> moved,
            long stayed,
            List<String> quarantined,
            List<String> stuck,
            List<String> unreadable,
            long tookMs) {
        public long movedTotal() {
            return moved.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** One node to move. */
    private record Move(String from, String to) {}

    private final CuratorFramework client;
    private final DroverPaths source;
    private final DroverPaths target;
    private final Consumer<String> progress;
    private final NodeMoves moves;
    private final BatchedReader reads;
    private final MultiBatcher batcher;
    private final Map<String, Long> moved = new LinkedHashMap<>();
    private final List<String> quarantined = new ArrayList<>();
    private final List<String> stuck = new ArrayList<>();
    private final List<String> unreadable = new ArrayList<>();
    private final String quarantine;
    private boolean quarantineMade;
    private long stayed;

    private LayoutUpgrade(CuratorFramework client, String cluster, Consumer<String> progress) {
        this.client = client;
        this.source = new DroverPaths(cluster);
        source.adoptLayout(1);
        this.target = new DroverPaths(cluster);
        target.adoptLayout(2);
        this.progress = progress;
        this.moves = new NodeMoves(client);
        this.quarantine = Fsck.quarantineRun(target);
        this.reads = new BatchedReader(client, 1_000);
        this.batcher = new MultiBatcher(client, List.of(), 1_000, StoreOptions.MAX_MULTI_BYTES);
    }

    /**
     * Upgrades {@code cluster}, telling {@code progress} what it does step by step. Fails with a
     * {@link DroverException}, having changed nothing, when there is no such cluster, its marker
     * does not read, or a process is still registered (retryable once they are stopped); a process
     * that registered during the move fails the run after it, the cluster left marked for the next
     * run. Blocking; not on the ZooKeeper event thread.
     */
    public static Report run(CuratorFramework client, String cluster, Consumer<String> progress)
            throws Exception {
        LayoutUpgrade upgrade = new LayoutUpgrade(client, cluster, progress);
        try {
            return upgrade.run();
        } finally {
            upgrade.batcher.close();
        }
    }

    private Report run() throws Exception {
        long started = System.nanoTime();
        ClusterAcls.load(client, target);
        UpgradeMarker marker = UpgradeMarker.read(client, target);
        int from = marker.layoutVersion();
        if (from == 2 && !marker.upgrading()) {
            progress.accept(target.root() + " is in layout 2 already: nothing to move");
            return report(2, true, started);
        }
        if (from != 1) {
            throw new DroverException(
                    target.root() + " is in layout " + from + ", which this Drover cannot upgrade",
                    false);
        }
        boolean markedNow = !marker.upgrading();
        if (markedNow) {
            marker.markUpgrading();
        } else {
            progress.accept("carrying on with the upgrade an earlier run began");
        }
        refuseWhileRegistered(marker, markedNow);
        for (String parent : Layout.persistentParents(target)) {
            try {
                client.create().creatingParentsIfNeeded().forPath(parent);
            } catch (KeeperException.NodeExistsException there) {
                // the 64 buckets of layout 1 are buckets of layout 2 too
            }
        }
        for (String folder : FOLDERS) {
            moveAll(target.root() + "/" + folder, folder, name -> name);
        }
        moveAll(target.pending(), "pending", PendingKey::taskIdOf);
        moveAll(target.done(), "done", PendingKey::taskIdOfDone);
        // one that joined between reading the marker and registering wrote in layout 1: the mark
        // stays, so nothing else joins, and a run after it is stopped moves what it wrote
        refuseWhileRegistered(marker, false);
        if (!stuck.isEmpty()) {
            progress.accept(
                    stuck.size()
                            + " nodes kept changing and did not move: is the cluster stopped? The"
                            + " cluster stays marked as upgrading; run again once it is");
            return report(1, false, started); // flipping would hide the tasks they hold
        }
        marker.markLayout2();
        progress.accept(target.root() + " is in layout 2");
        return report(1, true, started);
    }

    private Report report(int from, boolean done, long started) {
        return new Report(
                from,
                done,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(moved)),
                stayed,
                List.copyOf(quarantined),
                List.copyOf(stuck),
                List.copyOf(unreadable),
                (System.nanoTime() - started) / 1_000_000);
    }

    private void refuseWhileRegistered(UpgradeMarker marker, boolean markedNow) throws Exception {
        List<String> live = new ArrayList<>();
        client.getChildren()
                .forPath(target.coordinators())
                .forEach(c -> live.add("coordinator " + c));
        client.getChildren().forPath(target.workers()).forEach(w -> live.add("worker " + w));
        if (live.isEmpty()) {
            return;
        }
        if (markedNow) {
            marker.unmark();
        }
        throw new DroverException(
                "stop the cluster's coordinators and workers first: "
                        + String.join(", ", live)
                        + " still registered (one that was killed stays so until its ZooKeeper"
                        + " session expires)",
                true);
    }

    /** Where a node at {@code path} goes aside, as {@code drover fsck --quarantine} puts it. */
    private String aside(String path) {
        try {
            if (!quarantineMade) {
                client.create().creatingParentsIfNeeded().forPath(quarantine);
                quarantineMade = true;
            }
        } catch (KeeperException.NodeExistsException there) {
            quarantineMade = true;
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + quarantine + ": " + e, e);
        }
        return Fsck.quarantined(target, quarantine, path);
    }

    /** Moves the children of every layout-1 bucket of {@code root} that belong elsewhere. */
    private void moveAll(String root, String label, UnaryOperator<String> idOf) throws Exception {
        long before = moved.getOrDefault(label, 0L);
        for (String folder : source.buckets(root)) {
            List<String> names;
            try {
                names = client.getChildren().forPath(folder);
            } catch (KeeperException.NoNodeException none) {
                continue;
            }
            List<Move> todo = new ArrayList<>();
            for (String name : names) {
                String id = idOf.apply(name);
                String to = id == null || id.isEmpty() ? null : root + "/" + target.bucket(id);
                if (to == null) {
                    unreadable.add(folder + "/" + name);
                } else if (to.equals(folder)) {
                    stayed++;
                } else {
                    todo.add(new Move(folder + "/" + name, to + "/" + name));
                }
            }
            moveBatch(label, todo);
        }
        progress.accept(
                "moved " + (moved.getOrDefault(label, 0L) - before) + " " + label + " nodes");
    }

    private void moveBatch(String label, List<Move> todo) throws Exception {
        List<CompletableFuture<Optional<Versioned<byte[]>>>> read = new ArrayList<>();
        todo.forEach(m -> read.add(reads.read(m.from())));
        List<CompletableFuture<Move>> written = new ArrayList<>();
        List<Move> stepwise = new ArrayList<>();
        for (int i = 0; i < todo.size(); i++) {
            Move m = todo.get(i);
            Optional<Versioned<byte[]>> node = read.get(i).join();
            if (node.isEmpty()) {
                continue;
            }
            List<CuratorOp> ops =
                    moves.ops(m.from(), m.to(), node.get().value(), node.get().version());
            if (ops == null) {
                stepwise.add(m);
            } else {
                written.add(batcher.submit(ops).handle((ok, failed) -> failed == null ? null : m));
            }
        }
        for (CompletableFuture<Move> w : written) {
            Move failed = w.join(); // a move whose multi failed is looked at again, step by step
            if (failed == null) {
                moved.merge(label, 1L, Long::sum);
            } else {
                stepwise.add(failed);
            }
        }
        for (Move m : stepwise) {
            switch (moves.moveStepwise(m.from(), m.to(), this::aside)) {
                case MOVED -> moved.merge(label, 1L, Long::sum);
                case MOVED_OVER -> {
                    moved.merge(label, 1L, Long::sum);
                    quarantined.add(m.to());
                }
                case STUCK -> stuck.add(m.from());
                case GONE -> {}
            }
        }
    }
}
