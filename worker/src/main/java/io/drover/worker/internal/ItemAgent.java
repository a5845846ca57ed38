package io.drover.worker.internal;

import io.drover.model.DroverPaths;
import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.protocol.CorruptNodes;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.FolderListener;
import io.drover.protocol.runtime.WatchedFolder;
import io.drover.store.Layout;
import io.drover.worker.ItemHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;

/**
 * The worker's side of load/drop: watches {@code loadqueue/<self>} (one recursive watch) and, as
 * the pure {@link ItemAgentMachine} decides per item, runs each command as an {@link ItemJob} on
 * the pool of {@link ItemJobs}, at most one job per item; a newer command for a busy item waits for
 * it. After a new session, what the handler still holds is announced again.
 *
 * <p>Commands are dispatched on the worker's event thread; jobs run on item threads, where blocking
 * ZooKeeper calls are fine.
 */
final class ItemAgent implements AutoCloseable {
    private final String workerId;
    private final CuratorFramework client;
    private final DroverPaths paths;
    private final LongSupplier sessionId;
    private final Runnable changed;
    private final WatchedFolder queue;
    private final ItemJobs jobs;
    private final CorruptNodes corrupt;

    /**
     * What runs and waits per item, as {@link ItemAgentMachine} decides; idle items are absent.
     * Event thread only.
     */
    private final Map<String, ItemAgentMachine.Slot> slots = new HashMap<>();

    private volatile long announcedSession;

    ItemAgent(WorkerContext ctx, ItemHandler handler, Runnable changed) {
        this.workerId = ctx.workerId();
        this.client = ctx.client();
        this.paths = ctx.paths();
        this.sessionId = ctx.sessionId();
        this.changed = changed;
        this.jobs = new ItemJobs(ctx, handler, this::jobDone);
        this.corrupt = ctx.corrupt();
        this.queue =
                new WatchedFolder(
                        client,
                        paths.loadQueue(workerId),
                        1,
                        ctx.events(),
                        corrupt.guarding(
                                FolderListener.of(
                                        this::onCommand,
                                        path -> onCommandRemoved(DroverPaths.nodeName(path)))));
    }

    /** Blocking: creates this worker's folders, then starts watching its queue. */
    void start() throws Exception {
        ensureFolders();
        announcedSession = sessionId.getAsLong();
        queue.start();
    }

    Set<String> served() {
        return Set.copyOf(jobs.announced());
    }

    /** Nothing loaded, nothing in progress: what a drained worker waits for. */
    boolean isEmpty() {
        return jobs.loaded().isEmpty() && jobs.announced().isEmpty() && jobs.running().isEmpty();
    }

    // ---- connection states (called by the worker, on its event thread)
    // -------------------------------

    /** The session is gone, and with it every {@code served} node. */
    void sessionLost() {
        jobs.announced().clear();
    }

    /** Creates or touches this worker's item folders. Blocking. */
    void ensureFolders() throws Exception {
        Layout.ensureWorkerFolder(client, paths.loadQueue(workerId));
        Layout.ensureWorkerFolder(client, paths.served(workerId));
    }

    /**
     * Announces again what the handler still holds if the session changed (served nodes die with a
     * session).
     */
    void reconnected() {
        long session = sessionId.getAsLong();
        if (session == announcedSession || jobs.isClosed()) {
            return;
        }
        announcedSession = session;
        jobs.announced().clear();
        for (String id : Set.copyOf(jobs.loaded().keySet())) {
            fire(id, new ItemAgentMachine.NewSession(true));
        }
    }

    // ---- commands (event thread)
    // ---------------------------------------------------------------------

    private void onCommand(String path, byte[] data, int version) {
        LoadCommand command =
                Znodes.loadCommand(path, data); // a corrupt one is skipped: the leader replaces it
        corrupt.cleared(path);
        fire(
                command.itemId(),
                new ItemAgentMachine.CommandSeen(new ItemJob.Cmd(path, command, version)));
    }

    private void onCommandRemoved(String itemId) {
        fire(itemId, new ItemAgentMachine.CommandRemoved());
    }

    private void jobDone(ItemJob job) {
        String id = job.id();
        fire(
                id,
                new ItemAgentMachine.JobDone(
                        jobs.loaded().containsKey(id), jobs.announced().contains(id)));
        changed.run();
    }

    private void fire(String itemId, ItemAgentMachine.Event event) {
        ItemAgentMachine.Step step =
                ItemAgentMachine.on(slots.getOrDefault(itemId, ItemAgentMachine.Slot.IDLE), event);
        if (step.next().equals(ItemAgentMachine.Slot.IDLE)) {
            slots.remove(itemId);
        } else {
            slots.put(itemId, step.next());
        }
        for (ItemAgentMachine.Action action : step.actions()) {
            if (action instanceof ItemAgentMachine.StartJob start) {
                jobs.run(new ItemJob(jobs, start.cmd()));
            } else if (action instanceof ItemAgentMachine.StartReannounce) {
                ItemSpec held = jobs.loaded().get(itemId);
                // held is null only if a job dropped it meanwhile: the announcing job then finds
                // nothing to do
                jobs.run(ItemJob.reannounce(jobs, held != null ? held : ItemSpec.of(itemId, 1)));
            } else if (action instanceof ItemAgentMachine.MarkRevoked) {
                ItemJob running = jobs.running().get(itemId);
                if (running != null) {
                    running.revoked = true; // its commit fails and, for a load, undoes it
                }
            }
        }
    }

    /**
     * Stops watching and running. With a client the worker does not own, the session lives on, so
     * the served nodes are removed here: the items are no longer held by a running worker.
     */
    void close(boolean sessionEnds) {
        queue.close();
        if (!jobs.close()) {
            return;
        }
        if (!sessionEnds) {
            jobs.servedNodes().remove(Set.copyOf(jobs.announced()));
            jobs.announced().clear();
        }
    }

    @Override
    public void close() {
        close(true);
    }
}
