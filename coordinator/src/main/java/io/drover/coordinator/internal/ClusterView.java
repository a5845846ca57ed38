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
    /**
     * What the leader knows of an assignment: from its path only (a watch event) the type is null
     * until its data is read. {@code runAs}: the fallback type it runs as, null for its own.
     */
    record Held(
            String workerId,
            String type,
            int attempt,
            String submittedBy,
            long specBytes,
            String runAs) {}

    /** Admitted workers: announcements that validate, with their folder; only they get work. */
    private final Map<String, WorkerInfo> workers = new HashMap<>();

    /** The admitted workers of each task type they announce, so a pass looks at those only. */
    private final Map<String, Map<String, WorkerInfo>> byType = new HashMap<>();

    /**
     * Every worker node that exists, admitted or not: a live session, whose attempts are not
     * recovered.
     */
    private final Set<String> present = new HashSet<>();

    private final Map<String, Set<String>> assignments = new HashMap<>();
    private final Map<String, Held> held = new HashMap<>();
    private final Map<String, Integer> perType = new HashMap<>();
    private final Map<String, Integer> reserved = new HashMap<>();
    private final Map<String, Integer> reservedPerType = new HashMap<>();

    /** Workers that let an assignment time out, until when they get no new work. */
    private final Map<String, Long> suspendedUntilMs = new HashMap<>();

    void putWorker(WorkerInfo info) {
        unindex(workers.put(info.id(), info));
        for (String type : info.taskTypes()) {
            byType.computeIfAbsent(type, t -> new HashMap<>()).put(info.id(), info);
        }
    }

    /** No more work for it (it left, or its announcement no longer validates). */
    WorkerInfo removeWorker(String id) {
        WorkerInfo gone = workers.remove(id);
        unindex(gone);
        return gone;
    }

    private void unindex(WorkerInfo w) {
        if (w == null) {
            return;
        }
        for (String type : w.taskTypes()) {
            Map<String, WorkerInfo> of = byType.get(type);
            if (of != null && of.remove(w.id()) != null && of.isEmpty()) {
                byType.remove(type);
            }
        }
    }

    void workerNodePresent(String id) {
        present.add(id);
    }

    /** The worker's node is gone (its session ended); true if it was there. */
    boolean workerNodeGone(String id) {
        removeWorker(id);
        return present.remove(id);
    }

    /** True while the worker's node exists, whether or not its announcement was admitted. */
    boolean hasWorker(String id) {
        return present.contains(id);
    }

    Collection<WorkerInfo> workers() {
        return workers.values();
    }

    /** The admitted workers that run {@code type}. */
    Collection<WorkerInfo> workersOf(String type) {
        return byType.getOrDefault(type, Map.of()).values();
    }

    /** An admitted worker, or null. */
    WorkerInfo worker(String id) {
        return workers.get(id);
    }

    /** An assignment seen by its path only (a watch event); its type may be learnt later. */
    void addAssignment(String workerId, String taskId) {
        addAssignment(workerId, taskId, null);
    }

    /**
     * Idempotent: a known assignment only gains its type, attempt, submitter and size if they were
     * unknown.
     *
     * @param status the ASSIGNED status the assignment carries, or null if not read
     */
    void addAssignment(String workerId, String taskId, io.drover.model.TaskStatus status) {
        String type = status == null ? null : status.type();
        Held known =
                status == null
                        ? new Held(workerId, null, 0, null, 0, null)
                        : new Held(
                                workerId,
                                type,
                                status.attempt(),
                                status.submittedBy(),
                                status.specBytes(),
                                status.runAs());
        Held previous = held.get(taskId);
        if (previous != null && previous.workerId().equals(workerId)) {
            if (previous.type() == null && type != null) {
                count(type, 1);
                held.put(taskId, known);
            }
            return;
        }
        if (previous != null) {
            removeAssignment(previous.workerId(), taskId);
        }
        assignments.computeIfAbsent(workerId, w -> new HashSet<>()).add(taskId);
        held.put(taskId, known);
        if (type != null) {
            count(type, 1);
        }
    }

    /** The assignment as it was known, or null. */
    Held removeAssignment(String workerId, String taskId) {
        Held h = held.get(taskId);
        if (h == null || !h.workerId().equals(workerId)) {
            return null;
        }
        held.remove(taskId);
        Set<String> s = assignments.get(workerId);
        if (s != null) {
            s.remove(taskId);
            if (s.isEmpty()) {
                assignments.remove(workerId);
            }
        }
        if (h.type() != null) {
            count(h.type(), -1);
        }
        return h;
    }

    private void count(String type, int delta) {
        perType.merge(type, delta, Integer::sum);
        perType.remove(type, 0);
    }

    void replaceAssignments(String workerId, Collection<String> taskIds) {
        for (String t : Set.copyOf(assignments.getOrDefault(workerId, Set.of()))) {
            removeAssignment(workerId, t);
        }
        taskIds.forEach(t -> addAssignment(workerId, t));
    }

    Set<String> assignmentsOf(String workerId) {
        return Set.copyOf(assignments.getOrDefault(workerId, Set.of()));
    }

    /** Every assignment the leader knows of, for tallies. */
    Collection<Held> held() {
        return held.values();
    }

    Map<String, Set<String>> allAssignments() {
        return assignments;
    }

    String workerOf(String taskId) {
        Held h = held.get(taskId);
        return h == null ? null : h.workerId();
    }

    Held held(String taskId) {
        return held.get(taskId);
    }

    /**
     * Assignments of each type whose type is known (not those being written), for the leader's
     * stats and its published counts per type.
     */
    Map<String, Integer> assignedByType() {
        return perType;
    }

    /** Tasks of this type assigned or being assigned. */
    int outstanding(String type) {
        return perType.getOrDefault(type, 0) + reservedPerType.getOrDefault(type, 0);
    }

    void reserve(String workerId, String type) {
        reserved.merge(workerId, 1, Integer::sum);
        reservedPerType.merge(type, 1, Integer::sum);
    }

    void release(String workerId, String type) {
        reserved.computeIfPresent(workerId, (w, n) -> n > 1 ? n - 1 : null);
        reservedPerType.computeIfPresent(type, (t, n) -> n > 1 ? n - 1 : null);
    }

    void suspend(String workerId, long untilMs) {
        suspendedUntilMs.put(workerId, untilMs);
    }

    /**
     * The earliest end of a suspension still running at {@code nowMs}, or -1: a pass is due then.
     */
    long nextSuspensionEndMs(long nowMs) {
        long next = -1;
        for (long until : suspendedUntilMs.values()) {
            if (until > nowMs && (next < 0 || until < next)) {
                next = until;
            }
        }
        return next;
    }

    /**
     * Free slots of an ACTIVE worker: capacity minus assigned minus in-flight assignments; 0 for a
     * draining or suspended one.
     */
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
        int used =
                assignments.getOrDefault(w.id(), Set.of()).size()
                        + reserved.getOrDefault(w.id(), 0);
        return Math.max(0, w.capacity() - used);
    }
}
