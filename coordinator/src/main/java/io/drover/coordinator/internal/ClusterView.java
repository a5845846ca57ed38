package io.drover.coordinator.internal;

import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The leader's view of workers and their assignments, fed by watches in ZooKeeper order plus the
 * leader's own acknowledged writes. Set semantics make replays harmless. Not thread-safe: the
 * leader's thread only.
 */
final class ClusterView {
    private final Map<String, WorkerInfo> workers = new HashMap<>();
    private final Map<String, Set<String>> assignments = new HashMap<>();
    private final Map<String, String> workerOfTask = new HashMap<>();
    private final Map<String, Integer> reserved = new HashMap<>();
    /** Workers that let an assignment time out, until when they get no new work. */
    private final Map<String, Long> suspendedUntilMs = new HashMap<>();

    void putWorker(WorkerInfo info) {
        workers.put(info.id(), info);
    }

    WorkerInfo removeWorker(String id) {
        return workers.remove(id);
    }

    boolean hasWorker(String id) {
        return workers.containsKey(id);
    }

    Collection<WorkerInfo> workers() {
        return workers.values();
    }

    void addAssignment(String workerId, String taskId) {
        assignments.computeIfAbsent(workerId, w -> new HashSet<>()).add(taskId);
        workerOfTask.put(taskId, workerId);
    }

    /** True if the assignment was known. */
    boolean removeAssignment(String workerId, String taskId) {
        Set<String> s = assignments.get(workerId);
        boolean removed = s != null && s.remove(taskId);
        if (s != null && s.isEmpty()) {
            assignments.remove(workerId);
        }
        workerOfTask.remove(taskId, workerId);
        return removed;
    }

    void replaceAssignments(String workerId, Collection<String> taskIds) {
        Set<String> old = assignments.remove(workerId);
        if (old != null) {
            old.forEach(t -> workerOfTask.remove(t, workerId));
        }
        taskIds.forEach(t -> addAssignment(workerId, t));
    }

    Set<String> assignmentsOf(String workerId) {
        return Set.copyOf(assignments.getOrDefault(workerId, Set.of()));
    }

    Map<String, Set<String>> allAssignments() {
        return assignments;
    }

    String workerOf(String taskId) {
        return workerOfTask.get(taskId);
    }

    void reserve(String workerId) {
        reserved.merge(workerId, 1, Integer::sum);
    }

    void release(String workerId) {
        reserved.computeIfPresent(workerId, (w, n) -> n > 1 ? n - 1 : null);
    }

    void suspend(String workerId, long untilMs) {
        suspendedUntilMs.put(workerId, untilMs);
    }

    /** Free slots of an ACTIVE worker: capacity minus assigned minus in-flight assignments; 0 for a draining or suspended one. */
    int free(WorkerInfo w) {
        if (w.state() != WorkerState.ACTIVE) {
            return 0;
        }
        Long until = suspendedUntilMs.get(w.id());
        if (until != null) {
            if (System.currentTimeMillis() < until) {
                return 0;
            }
            suspendedUntilMs.remove(w.id());
        }
        int used = assignments.getOrDefault(w.id(), Set.of()).size() + reserved.getOrDefault(w.id(), 0);
        return Math.max(0, w.capacity() - used);
    }
}
