package io.drover.client;

import io.drover.model.BreakerState;
import io.drover.model.DroverPaths;
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
import org.apache.zookeeper.data.Stat;

/**
 * Works out why a pending task is not running, from ZooKeeper alone (so it answers with or without
 * a leader). It reads the task, the workers, their assignment counts, the type's policy and
 * breaker: an operator's call, not a hot path. Blocking.
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
        List<WorkerInfo> capable = new ArrayList<>();
        for (String id : client.getChildren().forPath(paths.workers())) {
            try {
                WorkerInfo w =
                        Znodes.worker(paths.worker(id), client.getData().forPath(paths.worker(id)));
                if (w.state() == WorkerState.ACTIVE
                        && w.supports(spec.type(), spec.requiredLabels())
                        && (spec.targetWorker() == null || spec.targetWorker().equals(w.id()))) {
                    capable.add(w);
                }
            } catch (Exception gone) {
                // a worker that left meanwhile, or one we cannot read: not capable
            }
        }
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
                            + spec.type()
                            + (spec.requiredLabels().isEmpty()
                                    ? ""
                                    : " with labels " + spec.requiredLabels()));
        }
        if (client.checkExists().forPath(paths.breaker(spec.type())) != null) {
            BreakerState b =
                    Znodes.breaker(
                            paths.breaker(spec.type()),
                            client.getData().forPath(paths.breaker(spec.type())));
            if (b.state() != BreakerState.State.CLOSED) {
                return new PendingExplanation(
                        taskId,
                        PendingExplanation.Reason.CIRCUIT_OPEN,
                        "the circuit breaker of type "
                                + spec.type()
                                + " is "
                                + b.state()
                                + (b.state() == BreakerState.State.OPEN
                                        ? " until " + Instant.ofEpochMilli(b.openUntilMs())
                                        : ""));
            }
        }
        if (client.checkExists().forPath(paths.type(spec.type())) != null) {
            TypePolicy p =
                    Znodes.typePolicy(
                            paths.type(spec.type()),
                            client.getData().forPath(paths.type(spec.type())));
            int outstanding = outstanding(spec.type());
            if (p.maxConcurrent() > 0 && outstanding >= p.maxConcurrent()) {
                return new PendingExplanation(
                        taskId,
                        PendingExplanation.Reason.TYPE_LIMIT_REACHED,
                        outstanding
                                + " tasks of type "
                                + spec.type()
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
                    "all "
                            + capable.size()
                            + " workers that handle type "
                            + spec.type()
                            + " are full");
        }
        return new PendingExplanation(
                taskId,
                PendingExplanation.Reason.WAITING_FOR_DISPATCH,
                "capable workers have room; it is dispatched in priority order");
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
