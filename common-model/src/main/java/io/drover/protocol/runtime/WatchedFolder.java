package io.drover.protocol.runtime;

import io.drover.model.Versioned;
import io.drover.protocol.ZooKeeperCalls;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.WatchedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-through view of the znodes at a fixed depth under a folder, for folders whose children
 * come and go fast (the pending index, a worker's assignments). One Curator {@link
 * PersistentWatcher} (recursive) reports creations and deletions; new nodes are read with a {@link
 * BatchedReader}, so a burst of N new nodes costs a few read requests rather than N, which is where
 * a {@code CuratorCache} spends its time under load.
 *
 * <p>Everything reaches the {@link FolderListener} on the caller's executor, in ZooKeeper order.
 * After a reconnect (watch reset) the folder is listed again and the listener hears what it missed.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} idempotent.
 */
public final class WatchedFolder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WatchedFolder.class);
    private static final int MAX_READ_RETRIES = 1_000;

    private enum State {
        LATENT,
        STARTED,
        CLOSED
    }

    private final CuratorFramework client;
    private final String root;
    private final int depth;
    private final Executor executor;
    private final FolderListener listener;
    private final BatchedReader reader;
    private final BatchedReader loader; // a listing's reads: apart, see ListingLoad
    private final PersistentWatcher watcher;
    private final Tracking tracking;
    private final Executor lister;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

    /** Paths the listener holds, unless it tracks them itself; executor only. */
    private final Set<String> known = new HashSet<>();

    /** Executor only. */
    private boolean initialized;

    /**
     * Whether a listing was read before (its reads may have reached the listener); executor only.
     */
    private boolean listedBefore;

    private final CompletableFuture<Void> whenInitialized = new CompletableFuture<>();

    /** The latest listing being read; written on the executor only. */
    private volatile ListingLoad load;

    private int failedReads;

    /**
     * @param depth 1 for {@code root/child}, 2 for {@code root/bucket/child}
     */
    public WatchedFolder(
            CuratorFramework client,
            String root,
            int depth,
            Executor executor,
            FolderListener listener) {
        this(client, root, depth, executor, listener, Tracking.FOLDER, null);
    }

    /**
     * @param lister where to list the folder (blocking: a deep folder takes seconds) and sort the
     *     listing; null for the executor itself. The caller owns it.
     */
    public WatchedFolder(
            CuratorFramework client,
            String root,
            int depth,
            Executor executor,
            FolderListener listener,
            Tracking tracking,
            Executor lister) {
        this.tracking = java.util.Objects.requireNonNull(tracking, "tracking");
        this.lister = lister == null ? executor : lister;
        this.client = client;
        this.root = root;
        this.depth = depth;
        this.executor = executor;
        this.listener = listener;
        this.reader = new BatchedReader(client, 100);
        this.loader = new BatchedReader(client, 100);
        this.watcher = new PersistentWatcher(client, root, true);
    }

    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("already started");
        }
        watcher.getListenable().addListener(event -> post(() -> onEvent(event)));
        // Curator calls the reset listeners whenever the watch is (re)registered, the first time
        // included: each time, list the folder again, so nothing that happened meanwhile is missed.
        watcher.getResetListenable()
                .addListener(
                        () ->
                                post(
                                        () -> {
                                            if (state.get() == State.STARTED) {
                                                listener.watchSet();
                                            }
                                            list();
                                        }));
        watcher.start();
    }

    private void post(Runnable r) {
        post(executor, r);
    }

    /** Hands work to the owner's executor or lister; one shutting down has no use for it. */
    private static void post(Executor to, Runnable r) {
        try {
            to.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the owner is closing
        }
    }

    private boolean atDepth(String path) {
        if (path == null || !path.startsWith(root + "/")) {
            return false;
        }
        return path.substring(root.length() + 1).split("/").length == depth;
    }

    private void onEvent(WatchedEvent event) {
        if (state.get() != State.STARTED || !atDepth(event.getPath())) {
            return;
        }
        switch (event.getType()) {
            case NodeCreated, NodeDataChanged -> read(event.getPath());
            case NodeDeleted -> {
                if (known.remove(event.getPath()) || tracking != Tracking.FOLDER) {
                    listener.removed(event.getPath());
                }
            }
            default -> {}
        }
    }

    private CompletableFuture<Void> read(String path) {
        return reader.read(path)
                .handleAsync(
                        (value, error) -> {
                            apply(path, value, error);
                            return null;
                        },
                        executor);
    }

    private void apply(String path, Optional<Versioned<byte[]>> value, Throwable error) {
        if (state.get() != State.STARTED) {
            return;
        }
        if (error != null) {
            // A connection problem: the watch reset after reconnecting lists and reads everything
            // again. Anything else (it should not happen) is retried a bounded number of times.
            if (!ZooKeeperCalls.isConnectionProblem(error) && ++failedReads <= MAX_READ_RETRIES) {
                LOG.warn("read of {} failed ({}); retrying", path, error.toString());
                read(path);
            }
            return;
        }
        failedReads = 0;
        if (value.isPresent()) {
            if (tracking != Tracking.LISTENER) {
                known.add(path);
            }
            listener.upserted(path, value.get().value(), value.get().version());
        } else if (known.remove(path) || tracking != Tracking.FOLDER) {
            listener.removed(path);
        }
    }

    /**
     * Completes (on the executor) after the watch is set and the listener heard {@link
     * FolderListener#initialized()}; never if the folder closes first.
     */
    public CompletableFuture<Void> whenInitialized() {
        return whenInitialized;
    }

    /** Reads a path again and reports it (upserted or removed); executor only. */
    public void refresh(String path) {
        read(path);
    }

    /** Lists the folder on the lister, then reads what is there; forgets what is gone. */
    private void list() {
        if (state.get() != State.STARTED) {
            return;
        }
        post(
                lister,
                () -> {
                    try {
                        List<String> listed = ListingLoad.collect(client, root, depth);
                        List<String> ordered = ListingLoad.readOrder(listed);
                        post(() -> listed(ordered));
                    } catch (Exception e) {
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt(); // the lister is shutting down
                        }
                        post(() -> listFailed(e));
                    }
                });
    }

    private void listFailed(Exception e) {
        if (state.get() != State.STARTED) {
            return;
        }
        if (initialized || ZooKeeperCalls.isConnectionProblem(e)) {
            LOG.warn(
                    "cannot list {}: {}; listing again after the next reconnect",
                    root,
                    e.toString());
        } else {
            LOG.warn("cannot list {}: {}; trying again in a second", root, e.toString());
            CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.SECONDS, executor)
                    .execute(this::list);
        }
    }

    /** Executor only: {@code paths} in the order to read them ({@link ListingLoad#readOrder}). */
    private void listed(List<String> paths) {
        if (state.get() != State.STARTED) {
            return;
        }
        if (tracking == Tracking.LISTENER && listedBefore) {
            listener.relisted(new HashSet<>(paths));
        } else if (!known.isEmpty()) {
            Set<String> listed = new HashSet<>(paths);
            for (String gone : new ArrayList<>(known)) {
                if (!listed.contains(gone)) {
                    known.remove(gone);
                    listener.removed(gone);
                }
            }
        }
        listedBefore = true;
        if (load != null) {
            load.cancel();
        }
        load = new ListingLoad(paths, loader, executor, this::apply, this::loaded);
        load.start();
    }

    private void loaded() {
        if (!initialized && state.get() == State.STARTED) {
            initialized = true;
            listener.initialized();
            whenInitialized.complete(null);
        }
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            ListingLoad l = load;
            if (l != null) {
                l.cancel(); // no more reads of a listing nobody will hear of
            }
            watcher.close();
        }
    }
}
