package io.drover.store;

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
 * graph staging), batched, each {@code multi} {@code check}ing the layout marker at the znode
 * version the client adopted it at. A client left running through {@code drover layout upgrade}
 * then gets an error that says so instead of writing a task into a bucket of the old layout. One
 * {@code check} per multi, whatever the batch holds. A marker changed for another reason (rewritten
 * by hand, say) costs one read of it: while it still names this client's layout, or nothing
 * readable, the check moves to its new version and the write is sent once more.
 *
 * <p>Thread-safe. Futures complete on ZooKeeper's event thread: dependents must not block.
 */
final class LayoutFence {
    private final CuratorFramework client;
    private final DroverPaths paths;
    private final Function<String, CompletableFuture<Optional<Versioned<byte[]>>>> read;
    private final MultiBatcher batcher;
    private volatile List<CuratorOp> check;

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
        this.check = checkOf(paths.layoutMarkerVersion());
        this.batcher =
                new MultiBatcher(
                        client,
                        () -> check,
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
                                            same ->
                                                    same
                                                            ? submit(ops, false)
                                                            : CompletableFuture.failedFuture(
                                                                    cause));
                        });
    }

    /** Reads the marker again: true, with the check moved to it, while it names our layout. */
    private CompletableFuture<Boolean> reread() {
        return read.apply(paths.layoutMarker())
                .thenApply(
                        marker -> {
                            if (marker.isEmpty()) {
                                check = checkOf(-1); // deleted (fsck): nothing to check
                                return true;
                            }
                            if (!Layout.namesLayoutOf(paths, marker.get().value())) {
                                return false;
                            }
                            check = checkOf(marker.get().version());
                            return true;
                        });
    }

    /** The {@code check} of one marker version; none for -1 (no marker was read). */
    private List<CuratorOp> checkOf(int version) {
        if (version < 0) {
            return List.of();
        }
        try {
            return List.of(
                    client.transactionOp()
                            .check()
                            .withVersion(version)
                            .forPath(paths.layoutMarker()));
        } catch (Exception e) { // building an op talks to nobody
            throw new IllegalStateException(e);
        }
    }
}
