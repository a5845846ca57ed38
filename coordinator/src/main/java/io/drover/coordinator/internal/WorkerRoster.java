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
 * announcement that does not validate (another id in its data, an absurd capacity, an unknown format
 * version) or whose {@code assignments/<id>} folder is missing is rejected, reported once, and
 * gets no work. A worker whose assignments keep failing backs off exponentially (capped), so the
 * leader never spins on it. Leader thread only.
 */
final class WorkerRoster {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerRoster.class);
    static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 30_000;

    private final LeaderContext ctx;
    private final CorruptNodes corrupt;
    private final Runnable changed;
    private final LongConsumer wakeAt;
    /** The session (the node's creation zxid) whose folder was found, per admitted worker. */
    private final Map<String, Long> admittedSession = new HashMap<>();
    /** Announcements read while their folder check is in flight: the latest one per worker. */
    private final Map<String, WorkerInfo> awaiting = new HashMap<>();
    private final Map<String, Integer> failuresInARow = new HashMap<>();

    /**
     * @param changed called when the set of workers that can take work changed
     * @param wakeAt  asks for a dispatch pass at a time (the end of a backoff)
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
        long version = node.getStat() == null ? -1 : node.getStat().getMzxid();
        WorkerInfo info;
        try {
            info = Znodes.worker(path, node.getData());
        } catch (CorruptZnodeException e) {
            corrupt.report(e, version);
            if (ctx.view().removeWorker(id) != null) {
                changed.run(); // it was fine before; what it runs now is recovered as for a departed worker
            }
            return;
        }
        long session = node.getStat() == null ? 0 : node.getStat().getCzxid();
        Long admitted = admittedSession.get(id);
        if (admitted != null && admitted == session) {
            admit(path, info);
        } else if (awaiting.put(id, info) == null) {
            checkFolder(path, id, session, version);
        }
    }

    private void admit(String path, WorkerInfo info) {
        corrupt.cleared(path);
        ctx.view().putWorker(info);
        changed.run();
    }

    /** One read per worker session: the leader writes into the folder, so it must exist. */
    private void checkFolder(String path, String id, long session, long version) {
        String folder = ctx.paths().assignments(id);
        try {
            ctx.client().checkExists().inBackground((c, event) -> ctx.executor().execute(() -> {
                WorkerInfo latest = awaiting.remove(id);
                int rc = event.getResultCode();
                if (latest == null) {
                    return; // the worker left meanwhile
                } else if (rc == KeeperException.Code.OK.intValue()) {
                    admittedSession.put(id, session);
                    admit(path, latest);
                } else if (rc == KeeperException.Code.NONODE.intValue()) {
                    corrupt.report(Znodes.workerWithoutFolder(path, folder), version);
                } // a connection problem ends the term; the next leader looks again
            })).forPath(folder);
        } catch (Exception e) {
            awaiting.remove(id);
            LOG.warn("cannot check the folder of worker {}: {}", id, e.toString());
        }
    }

    /** The worker node is gone; true if it was there. */
    boolean removed(String path) {
        String id = DroverPaths.nodeName(path);
        corrupt.cleared(path);
        admittedSession.remove(id);
        awaiting.remove(id);
        failuresInARow.remove(id);
        return ctx.view().workerNodeGone(id);
    }

    /**
     * An assignment to the worker was rejected by ZooKeeper for a reason of the worker's own (its
     * folder is gone, or holds a node of that name): no new work for it for a doubling while.
     */
    void assignmentFailed(String workerId, long nowMs) {
        int n = failuresInARow.merge(workerId, 1, Integer::sum);
        long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(20, n - 1));
        if (n == 1) {
            LOG.warn("assignments to worker {} fail; it gets no new work for {} ms, doubling while they keep failing", workerId, backoff);
        }
        ctx.view().suspend(workerId, nowMs + backoff);
        wakeAt.accept(nowMs + backoff);
    }

    void assignmentSucceeded(String workerId) {
        failuresInARow.remove(workerId);
    }

    /** True when the cause says the worker's own folder made the assignment fail. */
    static boolean isWorkersFault(Throwable cause, String assignmentPath) {
        return cause instanceof KeeperException ke && assignmentPath.equals(ke.getPath())
                && (ke.code() == KeeperException.Code.NONODE || ke.code() == KeeperException.Code.NODEEXISTS);
    }
}
