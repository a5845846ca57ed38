package io.drover.client;

import io.drover.model.BreakerState;
import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverPaths;
import io.drover.model.LiveCounts;
import io.drover.model.TaskNotFoundException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.TypePolicy;
import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import io.drover.protocol.Znodes;
import io.drover.store.TaskStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Works out why a pending task is not running, from ZooKeeper alone (so it answers with or without
 * a leader). It reads the task, the workers, their assignment counts, the type's policy and
 * breaker, and the leader's published counts for the rate limit (the leader names the types whose
 * rate held tasks back at its last pass; ZooKeeper alone cannot tell an empty bucket): an
 * operator's call, not a hot path. Blocking.
 */
final class PendingExplainer {
    private final CuratorFramework client;
    private final DroverPaths paths;
    private final TaskStore store;

    PendingExplainer(CuratorFramework client, TaskStore store) {
        this.client = client;
        this.store = store;
        this.paths = store.paths();
    }

    PendingExplanation explain(String taskId) throws Exception {
        TaskStatus status =
                store.status(taskId)
                        .join()
                        .orElseThrow(() -> new TaskNotFoundException(taskId))
                        .value();
        if (status.state() != TaskState.PENDING) {
            return new PendingExplanation(
                    taskId, PendingExplanation.Reason.NOT_PENDING, "the task is " + status.state());
        }
        long now = System.currentTimeMillis();
        if (status.notBeforeMs() > now) {
            return new PendingExplanation(
                    taskId,
                    PendingExplanation.Reason.NOT_BEFORE,
                    "not before "
                            + Instant.ofEpochMilli(status.notBeforeMs())
                            + (status.attempt() > 1
                                    ? " (retry backoff after: " + status.error() + ")"
                                    : ""));
        }
        if (client.checkExists().forPath(paths.leaderLatch()) == null
                || client.getChildren().forPath(paths.leaderLatch()).isEmpty()) {
            return new PendingExplanation(
                    taskId,
                    PendingExplanation.Reason.NO_LEADER,
                    "no coordinator is running, so nothing is dispatched");
        }
        TaskSpec spec =
                store.spec(taskId).join().orElseThrow(() -> new TaskNotFoundException(taskId));
        String type = spec.type();
        TypePolicy p = policy(type);
        BreakerState b = breaker(type);
        boolean open = b != null && b.state() != BreakerState.State.CLOSED;
        // while OPEN with FALLBACK, the tasks go to the fallback's workers (docs/policies.md)
        String runAs =
                open
                                && p != null
                                && p.whenOpen() == TypePolicy.WhenOpen.FALLBACK
                                && b.state() == BreakerState.State.OPEN
                                && now < b.openUntilMs()
                        ? p.fallbackType()
                        : type;
        List<WorkerInfo> capable = capable(runAs, spec);
        if (capable.isEmpty()) {
            return new PendingExplanation(
                    taskId,
                    PendingExplanation.Reason.NO_CAPABLE_WORKER,
                    (spec.targetWorker() != null
                                    ? "its worker "
                                            + spec.targetWorker()
                                            + " (it runs nowhere else) is not active; "
                                    : "")
                            + "no active worker handles type "
                            + runAs
                            + (spec.requiredLabels().isEmpty()
                                    ? ""
                                    : " with labels " + spec.requiredLabels())
                            + (runAs.equals(type) ? "" : ", the fallback of " + open(type, b)));
        }
        BreakerState fallback = runAs.equals(type) ? null : breaker(runAs);
        if ((open && runAs.equals(type))
                || (fallback != null && fallback.state() != BreakerState.State.CLOSED)) {
            return new PendingExplanation(
                    taskId,
                    PendingExplanation.Reason.CIRCUIT_OPEN,
                    open(type, b)
                            + (fallback == null
                                    ? failsFast(p)
                                    : "; its fallback waits: " + open(runAs, fallback)));
        }
        if (p != null) {
            int outstanding = outstanding(type);
            if (p.maxConcurrent() > 0 && outstanding >= p.maxConcurrent()) {
                return new PendingExplanation(
                        taskId,
                        PendingExplanation.Reason.TYPE_LIMIT_REACHED,
                        outstanding
                                + " tasks of type "
                                + type
                                + " are assigned or running, its limit is "
                                + p.maxConcurrent());
            }
        }
        boolean anyFree = false;
        for (WorkerInfo w : capable) {
            Stat folder = client.checkExists().forPath(paths.assignments(w.id()));
            anyFree |= folder == null || folder.getNumChildren() < w.capacity();
        }
        if (!anyFree) {
            return new PendingExplanation(
                    taskId,
                    PendingExplanation.Reason.ALL_CAPABLE_WORKERS_FULL,
                    "all " + capable.size() + " workers that handle type " + runAs + " are full");
        }
        if (p != null && p.rateLimit() != null) {
            String limit = "type " + type + " is limited to " + p.rateLimit().describe();
            return rateLimited(type)
                    ? new PendingExplanation(
                            taskId,
                            PendingExplanation.Reason.RATE_LIMITED,
                            limit
                                    + ", and the leader holds its tasks back to that rate;"
                                    + " capable workers have room")
                    : new PendingExplanation(
                            taskId,
                            PendingExplanation.Reason.WAITING_FOR_DISPATCH,
                            "capable workers have room; it is dispatched in priority order ("
                                    + limit
                                    + ")");
        }
        return new PendingExplanation(
                taskId,
                PendingExplanation.Reason.WAITING_FOR_DISPATCH,
                "capable workers have room; it is dispatched in priority order");
    }

    private List<WorkerInfo> capable(String type, TaskSpec spec) throws Exception {
        List<WorkerInfo> capable = new ArrayList<>();
        for (String id : client.getChildren().forPath(paths.workers())) {
            try {
                WorkerInfo w =
                        Znodes.worker(paths.worker(id), client.getData().forPath(paths.worker(id)));
                if (w.state() == WorkerState.ACTIVE
                        && w.supports(type, spec.requiredLabels())
                        && (spec.targetWorker() == null || spec.targetWorker().equals(w.id()))) {
                    capable.add(w);
                }
            } catch (Exception gone) {
                // a worker that left meanwhile, or one we cannot read: not capable
            }
        }
        return capable;
    }

    private static String open(String type, BreakerState b) {
        return "the circuit breaker of type "
                + type
                + " is "
                + b.state()
                + (b.state() == BreakerState.State.OPEN
                        ? " until " + Instant.ofEpochMilli(b.openUntilMs())
                        : "");
    }

    private static String failsFast(TypePolicy p) {
        return p != null && p.whenOpen() == TypePolicy.WhenOpen.FAIL_FAST
                ? "; the leader fails its tasks fast while it is open"
                : "";
    }

    private TypePolicy policy(String type) throws Exception {
        byte[] data = read(paths.type(type));
        return data == null ? null : Znodes.typePolicy(paths.type(type), data);
    }

    private BreakerState breaker(String type) throws Exception {
        byte[] data = read(paths.breaker(type));
        return data == null ? null : Znodes.breaker(paths.breaker(type), data);
    }

    /**
     * Whether the current leader's published counts name the type as held back by its rate (the
     * leader's last dispatch pass found its bucket empty with tasks waiting); false without counts
     * from the current term.
     */
    private boolean rateLimited(String type) throws Exception {
        byte[] data = read(paths.liveCounts());
        Stat epoch = client.checkExists().forPath(paths.leaderEpoch());
        if (data == null || epoch == null) {
            return false;
        }
        try {
            LiveCounts counts = Znodes.liveCounts(paths.liveCounts(), data);
            return counts.epoch() == epoch.getVersion() && counts.rateLimited().contains(type);
        } catch (CorruptZnodeException e) {
            return false;
        }
    }

    private byte[] read(String path) throws Exception {
        try {
            return client.getData().forPath(path);
        } catch (KeeperException.NoNodeException none) {
            return null;
        }
    }

    private int outstanding(String type) throws Exception {
        int n = 0;
        for (String workerId : client.getChildren().forPath(paths.assignments())) {
            for (String taskId : client.getChildren().forPath(paths.assignments(workerId))) {
                String path = paths.assignment(workerId, taskId);
                try {
                    if (type.equals(
                            Znodes.assignment(path, client.getData().forPath(path))
                                    .status()
                                    .type())) {
                        n++;
                    }
                } catch (Exception gone) {
                    // finished meanwhile
                }
            }
        }
        return n;
    }
}
