package io.drover.worker.internal;

import io.drover.model.Assignment;
import io.drover.model.DroverPaths;
import io.drover.model.TaskState;
import io.drover.protocol.CorruptNodes;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.FolderListener;
import io.drover.protocol.runtime.WatchedFolder;
import io.drover.worker.TaskEvent;
import io.drover.worker.WorkerConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's slots: assignments seen and waiting, attempts running, and attempts that are over
 * but whose handler has not returned (they still hold a pool thread, so a handler that ignores
 * interrupts cannot make the worker run more than its capacity). Event thread only, except the
 * read-only views.
 */
final class Slots {
    private static final Logger LOG = LoggerFactory.getLogger(Slots.class);

    private final WorkerConfig config;
    private final AttemptFlow flow;
    private final AttemptFlow.Host host;
    private final BooleanSupplier accepting;
    private final Runnable changed;
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

    /**
     * Assignments seen but not yet claimed (no free slot, disconnected, or an older attempt still
     * settling).
     */
    private final Map<String, Assignment> queued = new LinkedHashMap<>();

    private final Set<Attempt> zombies = new HashSet<>();

    /**
     * @param accepting whether new attempts may start (started and connected)
     * @param changed called whenever attempts end or wait no more (the drain looks)
     */
    Slots(
            WorkerConfig config,
            AttemptFlow flow,
            AttemptFlow.Host host,
            BooleanSupplier accepting,
            Runnable changed) {
        this.config = config;
        this.flow = flow;
        this.host = host;
        this.accepting = accepting;
        this.changed = changed;
    }

    /**
     * The watch on this worker's assignment folder, which feeds the slots. A corrupt assignment is
     * skipped (the guard reports it): the leader revokes it after the assignment timeout.
     */
    WatchedFolder watch(
            CuratorFramework client, String folder, Executor events, CorruptNodes corrupt) {
        return new WatchedFolder(
                client,
                folder,
                1,
                events,
                corrupt.guarding(
                        FolderListener.of(
                                (path, data, version) -> {
                                    assigned(Znodes.assignment(path, data));
                                    corrupt.cleared(path);
                                },
                                path -> revoked(DroverPaths.nodeName(path)))));
    }

    void assigned(Assignment assignment) {
        String taskId = assignment.taskId();
        Attempt current = attempts.get(taskId);
        if (current != null && current.assignment.statusVersion() == assignment.statusVersion()) {
            if (assignment.cancelRequested()) {
                flow.requestCancel(current);
            }
            return;
        }
        Assignment waiting = queued.get(taskId);
        if (waiting != null && waiting.statusVersion() > assignment.statusVersion()
                || current != null
                        && current.assignment.statusVersion() > assignment.statusVersion()) {
            return; // older than what we hold
        }
        // New, or a newer assignment of a task whose older attempt is still settling: it waits for
        // a slot.
        queued.put(taskId, assignment);
        tryStart();
    }

    void revoked(String taskId) {
        queued.remove(taskId);
        Attempt a = attempts.get(taskId);
        if (a != null && a.state.holdsClaim()) {
            flow.abandon(a, "assignment revoked");
        }
        changed.run();
    }

    void tryStart() {
        var it = queued.values().iterator();
        while (accepting.getAsBoolean()
                && attempts.size() + zombies.size() < config.capacity()
                && it.hasNext()) {
            Assignment assignment = it.next();
            if (attempts.containsKey(assignment.taskId())) {
                continue;
            }
            it.remove();
            Attempt a = new Attempt(assignment, config.id(), flow::progressReported);
            attempts.put(a.taskId(), a);
            flow.claim(a);
        }
        changed.run();
    }

    /**
     * The attempt is over on this worker; its slot stays taken until its handler really returns.
     */
    void finished(Attempt a, TaskEvent.Kind kind, TaskState taskState, String detail) {
        if (a.settled.isDone()) {
            return;
        }
        a.cancelTimers();
        attempts.remove(a.taskId(), a);
        a.settled.complete(null);
        if (a.handlerStarted && !a.handlerDone) {
            zombies.add(a);
        }
        if (kind != TaskEvent.Kind.ABANDONED || a.runningStatus != null) {
            host.emit(kind, a, taskState, detail);
        } else {
            LOG.debug("worker {} drops task {}: {}", config.id(), a.taskId(), detail);
        }
        tryStart();
    }

    void handlerExited(Attempt a) {
        if (zombies.remove(a)) {
            tryStart(); // its pool thread is free again
        }
    }

    /** Assigned but never started: the leader requeues them when this worker leaves. */
    void forgetQueued() {
        queued.clear();
    }

    /** A copy of the attempts running now; any thread. */
    Collection<Attempt> running() {
        return new ArrayList<>(attempts.values());
    }

    int runningCount() {
        return attempts.size();
    }

    /** Nothing running and nothing waiting. */
    boolean isEmpty() {
        return attempts.isEmpty() && queued.isEmpty();
    }
}
