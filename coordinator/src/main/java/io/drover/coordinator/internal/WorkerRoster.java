package io.drover.coordinator.internal;

import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverPaths;
import io.drover.model.WorkerInfo;
import io.drover.protocol.CorruptNodes;
import io.drover.protocol.Znodes;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which announced workers the leader dispatches to. A worker is its node's name: an
 * announcement that does not validate (another id in its data, an absurd capacity, an unknown
 * format version) is rejected, reported once, and gets no work. A valid one is admitted at once, in
 * ZooKeeper's order (a task submitted after a worker announced itself can go to it). A worker whose
 * assignments fail for a reason of its own (its {@code assignments/<id>} folder missing, reported
 * once; or a node of that name already in it) backs off exponentially, capped at 30 s, so the
 * leader never spins on it, and a worker that re-creates its folder (after a reconnect) gets work
 * again at its next try. Leader thread only.
 */
final class WorkerRoster {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerRoster.class);
    static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 30_000;

    private final LeaderContext ctx;
    private final CorruptNodes corrupt;
    private final Runnable changed;
    private final LongConsumer wakeAt;
    private final Map<String, Integer> failuresInARow = new HashMap<>();

    /**
     * @param changed called when the set of workers that can take work changed
     * @param wakeAt asks for a dispatch pass at a time (the end of a backoff)
     */
    WorkerRoster(LeaderContext ctx, CorruptNodes corrupt, Runnable changed, LongConsumer wakeAt) {
        this.ctx = ctx;
        this.corrupt = corrupt;
        this.changed = changed;
        this.wakeAt = wakeAt;
    }

    void upserted(ChildData node) {
        String path = node.getPath();
        if (path.equals(ctx.paths().workers())) {
            return;
        }
        String id = DroverPaths.nodeName(path);
        ctx.view().workerNodePresent(id);
        WorkerInfo info;
        try {
            info = Znodes.worker(path, node.getData());
        } catch (CorruptZnodeException e) {
            corrupt.report(e, node.getStat() == null ? -1 : node.getStat().getMzxid());
            if (ctx.view().removeWorker(id) != null) {
                changed.run(); // no new work; what it runs stays its own while its session lives
            }
            return;
        }
        corrupt.cleared(path);
        ctx.view().putWorker(info);
        changed.run();
    }

    /** The worker node is gone; true if it was there. */
    boolean removed(String path) {
        String id = DroverPaths.nodeName(path);
        corrupt.cleared(path);
        failuresInARow.remove(id);
        return ctx.view().workerNodeGone(id);
    }

    /**
     * An assignment to the worker was rejected by ZooKeeper. Its folder missing (reported once), or
     * a node of that name already in it: no new work for it for a doubling while. Anything else is
     * not the worker's doing.
     */
    void assignmentFailed(String workerId, String assignmentPath, Throwable cause, long nowMs) {
        if (!(cause instanceof KeeperException ke) || !assignmentPath.equals(ke.getPath())) {
            return;
        }
        if (ke.code()
                == KeeperException.Code
                        .NONODE) { // a create fails so only when its parent is missing
            corrupt.report(
                    Znodes.workerWithoutFolder(
                            ctx.paths().worker(workerId), ctx.paths().assignments(workerId)),
                    0);
        }
        if (ke.code() == KeeperException.Code.NONODE
                || ke.code() == KeeperException.Code.NODEEXISTS) {
            int n = failuresInARow.merge(workerId, 1, Integer::sum);
            long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(20, n - 1));
            if (n == 1) {
                LOG.warn(
                        "assignments to worker {} fail ({}); it gets no new work for {} ms, doubling while they keep failing",
                        workerId,
                        ke.code(),
                        backoff);
            }
            ctx.view().suspend(workerId, nowMs + backoff);
            wakeAt.accept(nowMs + backoff);
        }
    }

    /**
     * A worker that let an assignment time out gets no new work for a while (as Druid blacklists
     * failing workers); otherwise the task would go straight back to it.
     */
    void unresponsive(String workerId, long coolDownMs, long nowMs) {
        LOG.warn(
                "worker {} did not claim an assignment in time; no new work for it for {} ms",
                workerId,
                coolDownMs);
        ctx.view().suspend(workerId, nowMs + coolDownMs);
        wakeAt.accept(nowMs + coolDownMs);
    }

    void assignmentSucceeded(String workerId) {
        failuresInARow.remove(workerId);
    }

    /** True when the cause says the worker's own folder made the assignment fail. */
    static boolean isWorkersFault(Throwable cause, String assignmentPath) {
        return cause instanceof KeeperException ke
                && assignmentPath.equals(ke.getPath())
                && (ke.code() == KeeperException.Code.NONODE
                        || ke.code() == KeeperException.Code.NODEEXISTS);
    }
}
