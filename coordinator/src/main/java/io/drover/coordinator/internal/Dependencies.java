package io.drover.coordinator.internal;

import io.drover.model.DroverPaths;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.WaitingStatus;
import io.drover.protocol.DependencyTransitions;
import io.drover.protocol.ZnodeKind;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.FolderListener;
import io.drover.protocol.runtime.WatchedFolder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of dependencies: follows every WAITING task ({@code waiting/}, one recursive
 * watch) and moves it on when its dependencies have ended, in fenced multis that the term's writer
 * batches. A waiting task costs reads once, when it appears (its spec and status, and the status of
 * each dependency nobody else already waits for; {@link WaitingReads}), never per pass: after that
 * the leader learns ends from what it observes anyway ({@link EndedTally}: every ended assignment's
 * status read, and its own cancellations, waiting tasks' included, which so cascade). {@link
 * #reconcile()} reads only the open dependencies the leader cannot see live (not pending, assigned
 * or waiting): the safety net. The decisions are {@link DependencyState}'s; the tasks of a graph
 * not sealed yet are held by {@link GraphMembers}. Started once the term is ready, so a new leader
 * picks up every waiting task from ZooKeeper. Leader thread only, apart from {@link #close()}.
 */
final class Dependencies implements Retention.Guard {
    private static final Logger LOG = LoggerFactory.getLogger(Dependencies.class);

    private final LeaderContext ctx;
    private final PendingIndex pending;
    private final DependencyTransitions transitions;
    private final WaitingReads reads;
    private final WatchedFolder folder;
    private final DependencyState state = new DependencyState();
    private final WaitingTally tally = new WaitingTally();
    private final Map<String, WaitingTask> waiting = new HashMap<>();
    private final Set<String> resolving = new HashSet<>();
    private final Set<String> reading = new HashSet<>();
    private final Set<String> writing = new HashSet<>();
    private final Set<String> cancelAsked = new HashSet<>();
    private final GraphMembers graphs;
    private boolean initialized;

    Dependencies(
            LeaderContext ctx,
            PendingIndex pending,
            Cancellations cancellations,
            io.drover.coordinator.CoordinatorConfig config) {
        this.ctx = ctx;
        this.pending = pending;
        this.transitions = new DependencyTransitions(ctx.client(), ctx.paths());
        this.reads = new WaitingReads(ctx);
        this.folder =
                new WatchedFolder(
                        ctx.client(),
                        ctx.paths().waiting(),
                        2,
                        ctx.executor(),
                        ctx.corrupt()
                                .guarding(
                                        FolderListener.of(
                                                (path, data, version) -> appeared(path),
                                                this::gone,
                                                () -> initialized = true)));
        ctx.ended().listen(this::observed);
        cancellations.onWaiting(this::cancelRequested);
        // waiting tasks are read once the graphs are: a task of a sealed graph is not held then
        this.graphs = new GraphMembers(ctx, this, reads, config, folder::start);
    }

    /** Once the term is ready: the pending index and the view are complete then. */
    void start() {
        graphs.start();
    }

    /** Completes once the graphs and the waiting tasks are watched and read. */
    CompletableFuture<Void> watching() {
        return folder.whenInitialized();
    }

    void close() {
        graphs.close();
        Closing.quietly(folder);
    }

    WaitingTally tally() {
        return tally;
    }

    private void appeared(String path) {
        String id = Znodes.idName(ZnodeKind.WAITING, path);
        if (!waiting.containsKey(id) && !resolving.contains(id) && !writing.contains(id)) {
            resolve(id);
        }
    }

    private void gone(String path) {
        String id = DroverPaths.nodeName(path);
        if (!writing.contains(id)) {
            drop(id); // moved by someone else: a leader before us, or by hand
        }
    }

    /** Reads spec and status, once. */
    private void resolve(String id) {
        resolving.add(id);
        reads.task(id)
                .whenCompleteAsync(
                        (read, e) -> {
                            resolving.remove(id);
                            if (e == null && !ctx.writer().lost()) {
                                read.ifPresent(this::resolved);
                            } // else a connection problem: the watch lists everything again
                        },
                        ctx.executor());
    }

    private void resolved(WaitingTask w) {
        String id = w.taskId();
        waiting.put(id, w);
        tally.add(w.status());
        if (cancelAsked.remove(id)) {
            cancel(w, "cancelled", true);
        } else if (!graphs.park(w)) {
            follow(id);
        }
    }

    /** Starts waiting for its dependencies. */
    void follow(String id) {
        WaitingTask w = waiting.get(id);
        if (w == null) {
            return;
        }
        DependencyState.Added added = state.add(id, w.dependsOn(), w.runAnyway());
        if (added.decision() != null) {
            apply(List.of(added.decision()));
        }
        added.unknown().forEach(this::learn);
    }

    /** Learns how a dependency stands: what the leader sees live is open; the rest is read. */
    private void learn(String dep) {
        if (seenLive(dep) || !reading.add(dep)) {
            return;
        }
        reads.state(dep)
                .whenCompleteAsync( // a failed read completes on ZooKeeper's thread
                        (read, e) -> {
                            reading.remove(dep);
                            if (e != null || read == null || ctx.writer().lost()) {
                                return; // the next reconciliation reads it again
                            }
                            // An end beside a pending entry or an assignment is forged or not yet
                            // true: not an end.
                            if (read.isEmpty() || !seenLive(dep)) {
                                apply(state.ended(dep, read.orElse(null)));
                            }
                        },
                        ctx.executor());
    }

    private boolean seenLive(String taskId) {
        return pending.contains(taskId)
                || ctx.view().workerOf(taskId) != null
                || waiting.containsKey(taskId)
                || resolving.contains(taskId);
    }

    /** Every state the leader learns ({@link EndedTally#observed}). */
    private void observed(String taskId, TaskState s) {
        if (s.isTerminal()) {
            apply(state.ended(taskId, s));
        }
    }

    // ---- writes ---------------------------------------------------------------------------------

    private void apply(List<DependencyState.Decision> decisions) {
        for (DependencyState.Decision d : decisions) {
            WaitingTask w = waiting.get(d.taskId());
            if (w == null || writing.contains(d.taskId())) {
                continue;
            }
            if (d.release()) {
                try {
                    write(w, transitions.release(w.taskId(), w.version(), w.released()), null);
                } catch (Exception e) {
                    LOG.warn("cannot build the release of task {}: {}", w.taskId(), e.toString());
                }
            } else {
                cancel(w, d.reason(), false);
            }
        }
    }

    private void cancel(WaitingTask w, String why, boolean clearCancel) {
        state.forget(w.taskId());
        TaskStatus end = WaitingStatus.cancelled(w.status(), why, System.currentTimeMillis());
        try {
            write(w, transitions.cancel(w.taskId(), w.version(), end, clearCancel), end);
        } catch (Exception e) {
            LOG.warn("cannot build the cancellation of task {}: {}", w.taskId(), e.toString());
        }
    }

    /** The waiting task as read, or null. */
    WaitingTask task(String id) {
        return waiting.get(id);
    }

    /** Takes back a task staged for a graph that will not run. */
    void discard(String id) {
        WaitingTask w = waiting.get(id);
        if (w == null || writing.contains(id)) {
            return;
        }
        state.forget(id);
        try {
            write(w, transitions.discard(id, w.version()), null);
        } catch (Exception e) {
            LOG.warn("cannot build the discard of task {}: {}", id, e.toString());
        }
    }

    /**
     * @param end the CANCELLED status the ops write; null for a release
     */
    private void write(WaitingTask w, List<CuratorOp> ops, TaskStatus end) {
        String id = w.taskId();
        writing.add(id);
        ctx.writer()
                .submit(ops)
                .whenCompleteAsync(
                        (r, e) -> {
                            writing.remove(id);
                            if (e != null && ctx.writer().lost()) {
                                return;
                            }
                            drop(id);
                            if (e != null) {
                                LOG.debug("task {} moved while waiting ({})", id, e.toString());
                                resolve(id); // a cancellation or another writer came first
                            } else if (end != null) {
                                LOG.info("task {} cancelled: {}", id, end.error());
                                ctx.events().taskEnded(end);
                                ctx.ended().observed(id, TaskState.CANCELLED); // cascades
                            }
                        },
                        ctx.executor());
    }

    private void drop(String id) {
        WaitingTask w = waiting.remove(id);
        if (w != null) {
            tally.remove(w.status());
            state.forget(id);
            graphs.unparked(w);
        }
    }

    /** A cancel request for a WAITING task ({@link Cancellations}). */
    private void cancelRequested(String taskId) {
        WaitingTask w = waiting.get(taskId);
        if (w == null) {
            cancelAsked.add(taskId); // carried out once it is read; reconciliation asks again
        } else if (!writing.contains(taskId)) {
            cancel(w, "cancelled", true);
        }
    }

    // ---- safety nets ----------------------------------------------------------------------------

    /** Reads the open dependencies the leader cannot see live: ends it may have missed. */
    void reconcile() {
        cancelAsked.retainAll(resolving);
        for (String dep : Set.copyOf(state.open())) {
            learn(dep);
        }
        graphs.reconcile();
    }

    @Override
    public boolean settled() {
        return initialized && resolving.isEmpty();
    }

    @Override
    public boolean needed(String taskId) {
        return state.named(taskId) || graphs.named(taskId);
    }
}
