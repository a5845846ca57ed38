package io.drover.store;

import io.drover.model.DroverException;
import io.drover.model.DroverPaths;
import io.drover.model.FenceLostException;
import io.drover.model.Versioned;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.runtime.MultiBatcher;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;

/**
 * The writes a client makes straight to ZooKeeper ({@link TaskStore}: submissions and re-runs;
 * graph staging), batched by a {@link MultiBatcher} whose every {@code multi} starts with a {@code
 * check} of the layout marker at the znode version the client joined at: one op per multi, whatever
 * the batch holds, and no request of its own. A client left running through {@code drover layout
 * upgrade} then gets an error that says so instead of writing a task into a bucket of the old
 * layout: retryable while the marker says an upgrade runs, final once the layout changed. A marker
 * changed for another reason (rewritten by hand, an upgrade refused and its mark taken back) costs
 * one read of it: while it still names this client's layout, or nothing readable, the check moves
 * to its new version and the write is sent once more.
 *
 * <p>Thread-safe. Futures complete on ZooKeeper's event thread: dependents must not block.
 */
final class LayoutFence {
    private final CuratorFramework client;
    private final DroverPaths paths;
    private final Function<String, CompletableFuture<Optional<Versioned<byte[]>>>> read;
    private final MultiBatcher batcher;

    /** The marker version checked, and its op; null until the first multi, after the join. */
    private record Check(int version, List<CuratorOp> ops) {}

    private volatile Check check;

    /**
     * @param read reads a node's data and version ({@link TaskStore#read})
     */
    LayoutFence(
            CuratorFramework client,
            DroverPaths paths,
            int maxOps,
            Function<String, CompletableFuture<Optional<Versioned<byte[]>>>> read) {
        this.client = client;
        this.paths = paths;
        this.read = read;
        this.batcher =
                new MultiBatcher(
                        client,
                        this::prefix,
                        maxOps,
                        StoreOptions.MAX_MULTI_BYTES,
                        "the layout of "
                                + paths.root()
                                + " changed since this client joined it (drover layout upgrade):"
                                + " close the client and connect again");
    }

    CompletableFuture<List<CuratorTransactionResult>> submit(List<CuratorOp> ops) {
        return submit(ops, true);
    }

    void close() {
        batcher.close();
    }

    /** Taken from the paths at the first multi: a store may be built before its process joins. */
    private List<CuratorOp> prefix() {
        Check c = check;
        if (c == null) {
            moveTo(paths.layoutMarkerVersion());
            c = check;
        }
        return c.ops();
    }

    private CompletableFuture<List<CuratorTransactionResult>> submit(
            List<CuratorOp> ops, boolean mayReread) {
        return batcher.submit(ops)
                .exceptionallyCompose(
                        e -> {
                            Throwable cause = ZooKeeperCalls.unwrap(e);
                            if (!(cause instanceof FenceLostException) || !mayReread) {
                                return CompletableFuture.failedFuture(cause);
                            }
                            return reread().thenCompose(
                                            now ->
                                                    switch (now) {
                                                        case SAME_LAYOUT -> submit(ops, false);
                                                        case UPGRADING ->
                                                                CompletableFuture.failedFuture(
                                                                        upgrading());
                                                        case MOVED ->
                                                                CompletableFuture.failedFuture(
                                                                        cause);
                                                    });
                        });
    }

    private DroverException upgrading() {
        return new DroverException(
                "the cluster "
                        + paths.root()
                        + " is being moved to another layout (drover layout upgrade), or an"
                        + " upgrade was refused a moment ago: try again shortly",
                true);
    }

    /** Reads the marker again; while it names our layout, the check moves to its version. */
    private CompletableFuture<Layout.MarkerSays> reread() {
        return read.apply(paths.layoutMarker())
                .thenApply(
                        marker -> {
                            if (marker.isEmpty()) {
                                moveTo(-1); // deleted (fsck): nothing to check
                                return Layout.MarkerSays.SAME_LAYOUT;
                            }
                            Layout.MarkerSays now = Layout.reread(paths, marker.get().value());
                            if (now == Layout.MarkerSays.SAME_LAYOUT) {
                                moveTo(marker.get().version());
                            }
                            return now;
                        });
    }

    /**
     * Checks {@code version} from now on, unless a later one is checked already: two reads may
     * answer out of order. -1 checks nothing (no marker).
     */
    private synchronized void moveTo(int version) {
        Check c = check;
        if (c != null && version >= 0 && c.version() >= version) {
            return;
        }
        if (version < 0) {
            check = new Check(c == null ? -1 : c.version(), List.of());
            return;
        }
        try {
            check =
                    new Check(
                            version,
                            List.of(
                                    client.transactionOp()
                                            .check()
                                            .withVersion(version)
                                            .forPath(paths.layoutMarker())));
        } catch (Exception e) { // building an op talks to nobody
            throw new IllegalStateException(e);
        }
    }
}
