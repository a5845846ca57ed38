package io.drover.coordinator.internal;

import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.PendingKey;
import io.drover.model.TaskState;
import io.drover.protocol.CorruptNodes;
import io.drover.protocol.ZnodeKind;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.FolderListener;
import io.drover.protocol.runtime.NamedThreads;
import io.drover.protocol.runtime.Tracking;
import io.drover.protocol.runtime.WatchedFolder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The leader's picture of {@code pending/} and {@code cancels/}: keeps the {@link PendingIndex} the
 * dispatch pass reads and the cancel requests seen, and owns the {@link Cancellations} that carry
 * them out. Together because an entry and a request to cancel its task can arrive in either order
 * (a retry written while the cancel was on its way), and acting on the later one takes both
 * folders' state; the scheduler only starts and stops the watches and dispatches from the index.
 *
 * <p>Leader thread only, apart from {@link #start()} and {@link #close()}.
 */
final class PendingWatch {
    private final DroverPaths paths;
    private final Supplier<List<String>> readFirst;
    private final Executor executor;
    private final CorruptNodes corrupt;
    private final EndedTally ended;
    private final PendingIndex pending;
    private final BooleanSupplier isReady;
    private final Runnable requestPass;
    private final Runnable initialized;
    private final Set<String> cancelRequests = new HashSet<>();
    private boolean recentRead; // executor only
    private final ExecutorService lister;
    private final WatchedFolder pendingFolder;
    private final Cancellations cancellations;
    private final WatchedFolder cancelFolder;

    /**
     * @param requestPass asks for a dispatch pass
     * @param initialized told once the pending folder has been read in full (one of the term's
     *     sources)
     * @param readFirst pending entries to read before the folder's listing: tasks submitted while
     *     the leaders changed, maybe before this watch was set ({@link RecentPending}); asked once
     *     the watch is set, so that it holds everything created before and the watch everything
     *     after (asked at the term's start, it missed a task submitted in between, which then
     *     waited seconds for the listing of a deep backlog)
     */
    PendingWatch(
            LeaderContext ctx,
            PendingIndex pending,
            BooleanSupplier isReady,
            Runnable requestPass,
            Runnable initialized,
            Supplier<List<String>> readFirst) {
        this.readFirst = readFirst;
        this.paths = ctx.paths();
        this.executor = ctx.executor();
        this.lister =
                Executors.newSingleThreadExecutor(
                        new NamedThreads("drover-pending-list-e" + ctx.term().epoch()));
        this.corrupt = ctx.corrupt();
        this.ended = ctx.ended();
        this.pending = pending;
        this.isReady = isReady;
        this.requestPass = requestPass;
        this.initialized = initialized;
        this.pendingFolder =
                new WatchedFolder(
                        ctx.client(),
                        ctx.paths().pending(),
                        2,
                        ctx.executor(),
                        corrupt.guarding(
                                new FolderListener() {
                                    @Override
                                    public void upserted(String path, byte[] data, int version) {
                                        onPending(path, data);
                                    }

                                    @Override
                                    public void removed(String path) {
                                        onPendingGone(path);
                                    }

                                    @Override
                                    public void watchSet() {
                                        if (!recentRead) {
                                            recentRead = true;
                                            readFirst.get().forEach(pendingFolder::refresh);
                                        }
                                    }

                                    @Override
                                    public void initialized() {
                                        initialized.run();
                                    }

                                    @Override
                                    public void relisted(Set<String> present) {
                                        onRelisted(present);
                                    }
                                }),
                        Tracking.LISTENER, // a deep backlog is held once, in the index
                        lister); // and listed and sorted while the leader goes on
        this.cancellations = new Cancellations(ctx, pending, pendingFolder::refresh);
        this.cancelFolder =
                new WatchedFolder(
                        ctx.client(),
                        ctx.paths().cancels(),
                        1,
                        ctx.executor(),
                        corrupt.guarding(
                                FolderListener.of(
                                        (path, data, version) -> onCancel(path),
                                        this::onCancelGone)));
    }

    /** The request was carried out. */
    private void onCancelGone(String path) {
        cancelRequests.remove(DroverPaths.nodeName(path));
    }

    private void onCancel(String path) {
        String taskId = Znodes.idName(ZnodeKind.CANCEL, path);
        cancelRequests.add(taskId);
        if (isReady.getAsBoolean()) {
            cancellations.requested(taskId);
        }
    }

    Cancellations cancellations() {
        return cancellations;
    }

    /** Reads again the cold tasks of shapes whose head runs low ({@link ShapeQueue}). */
    void warm() {
        for (PendingSlot s : pending.toWarm()) {
            pendingFolder.refresh(paths.pending(s.taskId(), s.key()));
        }
    }

    /** Reads a pending path again and reports it, upserted or removed. */
    void refresh(String path) {
        pendingFolder.refresh(path);
    }

    void start() {
        pendingFolder.start();
    }

    /** Once the term is ready: a cancellation acts on the view, which is complete only then. */
    void startCancels() {
        cancelFolder.start();
    }

    /** Completes once cancellation requests are watched and read. */
    CompletableFuture<Void> cancelsWatched() {
        return cancelFolder.whenInitialized();
    }

    /** Each folder on its own, so one that fails to close does not keep the other open. */
    void close() {
        Closing.quietly(pendingFolder);
        Closing.quietly(cancelFolder);
        lister.shutdownNow(); // a listing under way is of no use to anyone now
    }

    private void onPending(String path, byte[] data) {
        PendingEntry entry = Znodes.pending(path, data);
        // where the cluster's layout puts it, or a transition would address another node
        Znodes.inBucket(ZnodeKind.PENDING, path, entry.taskId(), paths.bucket(entry.taskId()));
        corrupt.cleared(path);
        pending.add(entry, System.currentTimeMillis());
        ended.observed(entry.taskId(), TaskState.PENDING); // a re-run left the retention index
        if (cancelRequests.contains(entry.taskId())) {
            cancellations.requested(
                    entry.taskId()); // e.g. a retry written while the cancel was on its way
        }
        requestPass.run();
    }

    /**
     * After a reconnect: entries whose nodes went meanwhile leave the index. (A term ends when the
     * connection is suspended, so today a term lists once; the folder's contract asks for it.)
     */
    private void onRelisted(Set<String> present) {
        for (PendingSlot s : pending.slots()) {
            String key = s.key();
            if (!present.contains(paths.pending(s.taskId(), key))) {
                pending.remove(s.taskId(), key);
            }
        }
    }

    private void onPendingGone(String path) {
        String key = DroverPaths.nodeName(path);
        String taskId = PendingKey.taskIdOf(key);
        if (taskId != null) {
            pending.remove(taskId, key);
        }
    }
}
