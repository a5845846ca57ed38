package io.drover.coordinator.internal;

import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverPaths;
import io.drover.model.LoadCommand;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.FolderListener;
import io.drover.protocol.runtime.Tracking;
import io.drover.protocol.runtime.WatchedFolder;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The item balancer's picture of {@code items/}, {@code served/} and {@code loadqueue/}: one
 * recursive watch each, folded into the {@link ItemState} (and a worker's given-up load into the
 * {@link LoadFailures}), with a pass requested after every change. Apart from the balancer because
 * the events of one worker's multi arrive separately and in either order, and keeping them
 * consistent is a concern of its own; the balancer then plans on a settled state.
 *
 * <p>Leader thread only (the term's executor, {@link LeaderContext#executor()}), apart from {@link
 * #start()} and {@link #close()}.
 */
final class ItemWatches implements AutoCloseable {
    // Under the balancer's name, as before this class was split from it, so log settings still
    // apply.
    private static final Logger LOG = LoggerFactory.getLogger(ItemBalancer.class);
    private static final int SOURCES = 3;

    private final LeaderContext ctx;
    private final DroverPaths paths;
    private final ItemState state;
    private final LoadFailures failures;
    private final Runnable requestPass;

    /**
     * Commands the worker has carried out whose effect on {@code served/} the leader has not seen
     * yet (worker/item). The worker deletes the command and creates or deletes the served node in
     * one multi, but the two reach the leader as separate events (a creation even needs a read),
     * and a pass in between would see a LOAD gone and no replica (and load another), or a DROP gone
     * and the replica still there (and drop another). So such a command counts as in flight until
     * the served node's change arrives.
     */
    private final Set<String> settling = new HashSet<>();

    private final WatchedFolder itemsFolder;
    private final WatchedFolder servedFolder;
    private final WatchedFolder queueFolder;
    private int initialized;

    ItemWatches(LeaderContext ctx, ItemState state, LoadFailures failures, Runnable requestPass) {
        this.ctx = ctx;
        this.paths = ctx.paths();
        this.state = state;
        this.failures = failures;
        this.requestPass = requestPass;
        this.itemsFolder =
                new WatchedFolder(
                        ctx.client(),
                        paths.items(),
                        1,
                        ctx.executor(),
                        listener(this::onItem, this::onItemGone));
        // Every removal is reported: a command can be written, carried out and deleted before the
        // watch reads it.
        this.servedFolder =
                new WatchedFolder(
                        ctx.client(),
                        paths.served(),
                        2,
                        ctx.executor(),
                        listener(
                                (path, data, version) -> onServed(path, data),
                                path -> onServed(path, null)),
                        Tracking.FOLDER_EVERY_REMOVAL,
                        null);
        this.queueFolder =
                new WatchedFolder(
                        ctx.client(),
                        paths.loadQueue(),
                        2,
                        ctx.executor(),
                        listener(this::onCommand, this::onCommandGone),
                        Tracking.FOLDER_EVERY_REMOVAL,
                        null);
    }

    void start() {
        itemsFolder.start();
        servedFolder.start();
        queueFolder.start();
    }

    @Override
    public void close() {
        itemsFolder.close();
        servedFolder.close();
        queueFolder.close();
    }

    /**
     * Whether every watch has read its folder once: before that, a pass would plan on half a
     * picture.
     */
    boolean initialized() {
        return initialized >= SOURCES;
    }

    /** Reads a command's path again (after a failed write, to learn what is there). */
    void refreshCommand(String path) {
        queueFolder.refresh(path);
    }

    /** A command is gone by the leader's own delete. */
    void revoked(String workerId, String itemId) {
        settling.remove(key(workerId, itemId));
        state.commandGone(workerId, itemId);
    }

    private void onItem(String path, byte[] data, int version) {
        String id = DroverPaths.nodeName(path);
        try {
            state.putItem(Znodes.item(path, data));
            ctx.corrupt().cleared(path);
        } catch (CorruptZnodeException e) {
            // Left as it is, served where it is: dropping an item because someone mangled its znode
            // would be worse.
            state.unreadable(id);
            ctx.corrupt().report(e, version);
        }
        requestPass.run();
    }

    private void onItemGone(String path) {
        state.removeItem(DroverPaths.nodeName(path));
        requestPass.run();
    }

    /** A served node appeared (data) or went (null). */
    private void onServed(String path, byte[] data) {
        String[] wi = workerAndItem(paths.served(), path);
        if (data != null) {
            long generation = 0;
            try {
                generation = Znodes.served(path, data).itemCreatedAtMs();
                ctx.corrupt().cleared(path);
            } catch (CorruptZnodeException e) {
                // counted as a replica all the same: the worker's session holds it
                ctx.corrupt().report(e, -1);
            }
            state.served(wi[0], wi[1], generation);
            failures.loaded(wi[0]);
        } else {
            state.served(wi[0], wi[1], false);
        }
        if (settling.remove(key(wi[0], wi[1]))) {
            state.commandGone(wi[0], wi[1]);
        }
        requestPass.run();
    }

    private void onCommand(String path, byte[] data, int version) {
        String[] wi = workerAndItem(paths.loadQueue(), path);
        settling.remove(key(wi[0], wi[1]));
        ItemState.Command command;
        try {
            LoadCommand c = Znodes.loadCommand(path, data);
            ctx.corrupt().cleared(path);
            command = new ItemState.Command(c.action(), c.isFailed());
            ItemState.Command known = state.command(wi[0], wi[1]);
            if (c.isFailed()
                    && (known == null
                            || !known.failed())) { // a re-read of a known failure is not a new one
                LOG.warn(
                        "worker {} gave up loading item {} after {} attempts: {}; trying another worker",
                        wi[0],
                        wi[1],
                        c.attempts(),
                        c.failure());
                failures.failed(wi[1], wi[0], System.currentTimeMillis());
            }
        } catch (CorruptZnodeException e) {
            ctx.corrupt().report(e, version); // the leader deletes it and plans afresh
            command = new ItemState.Command(null, true);
        }
        state.command(wi[0], wi[1], command);
        requestPass.run();
    }

    private void onCommandGone(String path) {
        String[] wi = workerAndItem(paths.loadQueue(), path);
        ItemState.Command gone = state.command(wi[0], wi[1]);
        boolean served = state.servedBy(wi[1]).contains(wi[0]);
        if (gone != null
                && !gone.failed()
                && (gone.action() == LoadCommand.Action.LOAD) != served) {
            // Carried out (most likely): the served node's change from the same multi is on its
            // way. Read the node
            // once more to be sure, on the served folder's reader, so the answer comes after that
            // change.
            settling.add(key(wi[0], wi[1]));
            servedFolder.refresh(paths.servedItem(wi[0], wi[1]));
            return;
        }
        state.commandGone(wi[0], wi[1]);
        requestPass.run();
    }

    /**
     * Safety net, from the term's reconcile: checks in ZooKeeper every command counted for longer
     * than {@code ageMs} (except those whose write is still on its way: they may not exist yet),
     * and settles one that is gone, and still the same command when the answer comes, as if its
     * removal had just been seen (WARN). A command counted but gone would hold back its item, and
     * all balancing, for good; no known sequence loses one, but the view is built from two folders'
     * events, so it is re-verified, as the Reconciler re-verifies assignments. One existence check
     * per long-lived command.
     */
    void auditCommands(long ageMs, BiPredicate<String, String> writing) {
        if (!initialized()) {
            return;
        }
        for (String key : state.commandsSince(System.currentTimeMillis() - ageMs)) {
            String[] wi = key.split("/", 2);
            if (writing.test(wi[0], wi[1])) {
                continue;
            }
            long since = state.commandSince(wi[0], wi[1]);
            String path = paths.loadCommand(wi[0], wi[1]);
            try {
                ctx.client()
                        .checkExists()
                        .inBackground((c, e) -> onAudited(wi, path, since, e.getResultCode()))
                        .forPath(path);
            } catch (Exception e) {
                LOG.debug("cannot check {}: {}", path, e.toString());
            }
        }
    }

    /** ZooKeeper's thread: hands the answer to the leader's, unless the term is over. */
    private void onAudited(String[] wi, String path, long since, int resultCode) {
        if (resultCode != KeeperException.Code.NONODE.intValue()) {
            return;
        }
        try {
            ctx.executor()
                    .execute(
                            () -> {
                                if (state.commandSince(wi[0], wi[1]) == since) {
                                    LOG.warn(
                                            "the leader counted a command for item {} on {} that"
                                                    + " is no longer in ZooKeeper; settling it",
                                            wi[1],
                                            wi[0]);
                                    ctx.corrupt().guard(path, -1, () -> onCommandGone(path));
                                }
                            });
        } catch (RejectedExecutionException termOver) {
            // the term's state is thrown away with it
        }
    }

    private void onSourceInitialized() {
        initialized++;
        requestPass.run();
    }

    private static String key(String workerId, String itemId) {
        return workerId + "/" + itemId;
    }

    private static String[] workerAndItem(String root, String path) {
        return path.substring(root.length() + 1).split("/", 2);
    }

    private FolderListener listener(FolderListener.Upsert upsert, Consumer<String> removed) {
        return GuardedListener.of(ctx.corrupt(), upsert, removed, this::onSourceInitialized);
    }
}
