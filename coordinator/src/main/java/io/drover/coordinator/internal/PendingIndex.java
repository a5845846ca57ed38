package io.drover.coordinator.internal;

import io.drover.model.PendingEntry;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The leader's in-memory copy of the pending index. Entries that may run now are grouped by "shape"
 * (type plus required labels), so a dispatch pass only looks at shapes some free worker can take,
 * however many tasks wait for a type nobody serves; within a shape they sort by key (priority, then
 * submit time). Entries with a not-before time in the future (retry backoff, delayed start) wait
 * aside, ordered by that time, until {@link #promote(long)} moves them in. A task for one worker
 * only (a broadcast's response) has a shape of its own, with that worker as its target; broadcasts
 * themselves are not dispatched but fanned out, so they wait apart ({@link #broadcasts()}). Not
 * thread-safe: the leader's thread only.
 */
final class PendingIndex {
    /**
     * @param target the only worker the shape's tasks may run on, or null for any capable one
     */
    record Shape(String type, Map<String, String> labels, String target) {}

    private final Map<Shape, TreeMap<String, PendingEntry>> byShape = new HashMap<>();
    private final TreeMap<String, PendingEntry> broadcasts = new TreeMap<>();
    private final Map<String, Set<Shape>> byTarget = new HashMap<>();
    private final Map<String, PendingEntry> byTask = new HashMap<>();
    private final TreeMap<Long, Set<String>> delayed = new TreeMap<>();

    // Kept as entries come and go, so that the leader's live counts cost no pass over the index.
    private final Map<String, Long> countByType = new HashMap<>();
    private final Map<String, Long> countByPrincipal = new HashMap<>();
    private long specBytes;

    /** Adds or replaces the entry of a task; {@code nowMs} decides whether it waits aside. */
    void add(PendingEntry entry, long nowMs) {
        PendingEntry previous = byTask.put(entry.taskId(), entry);
        if (previous != null) {
            unlink(previous);
            count(previous, -1);
        }
        count(entry, 1);
        long notBefore = entry.status().notBeforeMs();
        if (notBefore > nowMs) {
            delayed.computeIfAbsent(notBefore, t -> new HashSet<>()).add(entry.taskId());
        } else {
            queue(entry);
        }
    }

    private void queue(PendingEntry e) {
        if (e.broadcast()) {
            broadcasts.put(e.key(), e);
            return;
        }
        Shape shape = shapeOf(e);
        byShape.computeIfAbsent(shape, s -> new TreeMap<>()).put(e.key(), e);
        if (shape.target() != null) {
            byTarget.computeIfAbsent(shape.target(), t -> new HashSet<>()).add(shape);
        }
    }

    /** Removes the entry of a task if it is this key's. */
    boolean remove(String taskId, String key) {
        PendingEntry e = byTask.get(taskId);
        if (e == null || !e.key().equals(key)) {
            return false;
        }
        byTask.remove(taskId);
        unlink(e);
        count(e, -1);
        return true;
    }

    /** Pending tasks of each type, those waiting out a backoff included. */
    Map<String, Long> countByType() {
        return countByType;
    }

    /** Pending tasks of each principal that submitted through the API. */
    Map<String, Long> countByPrincipal() {
        return countByPrincipal;
    }

    /** The bytes of the pending tasks' specs (as their statuses record them). */
    long specBytes() {
        return specBytes;
    }

    private void count(PendingEntry e, long delta) {
        countByType.merge(e.type(), delta, Long::sum);
        countByType.remove(e.type(), 0L);
        String by = e.status().submittedBy();
        if (by != null) {
            countByPrincipal.merge(by, delta, Long::sum);
            countByPrincipal.remove(by, 0L);
        }
        specBytes += delta * e.status().specBytes();
    }

    PendingEntry get(String taskId) {
        return byTask.get(taskId);
    }

    private void unlink(PendingEntry e) {
        Set<String> at = delayed.get(e.status().notBeforeMs());
        if (at != null && at.remove(e.taskId()) && at.isEmpty()) {
            delayed.remove(e.status().notBeforeMs());
        }
        if (e.broadcast()) {
            broadcasts.remove(e.key());
            return;
        }
        Shape shape = shapeOf(e);
        TreeMap<String, PendingEntry> m = byShape.get(shape);
        if (m != null) {
            m.remove(e.key());
            if (m.isEmpty()) {
                byShape.remove(shape);
                Set<Shape> t = shape.target() == null ? null : byTarget.get(shape.target());
                if (t != null && t.remove(shape) && t.isEmpty()) {
                    byTarget.remove(shape.target());
                }
            }
        }
    }

    /**
     * Moves entries whose time has come into the dispatch queues; returns the next not-before time,
     * or -1.
     */
    long promote(long nowMs) {
        while (!delayed.isEmpty() && delayed.firstKey() <= nowMs) {
            for (String taskId : delayed.pollFirstEntry().getValue()) {
                PendingEntry e = byTask.get(taskId);
                if (e != null) {
                    queue(e);
                }
            }
        }
        return delayed.isEmpty() ? -1 : delayed.firstKey();
    }

    Collection<Shape> shapes() {
        return byShape.keySet();
    }

    TreeMap<String, PendingEntry> entries(Shape shape) {
        return byShape.getOrDefault(shape, new TreeMap<>());
    }

    int size() {
        return byTask.size();
    }

    /** Broadcasts due now, in key order: the leader fans them out. */
    Collection<PendingEntry> broadcasts() {
        return broadcasts.values();
    }

    /** The workers some due task is meant for alone (broadcast responses). */
    Set<String> targets() {
        return byTarget.keySet();
    }

    /** The due tasks meant for {@code workerId} alone. */
    java.util.List<PendingEntry> targeting(String workerId) {
        java.util.List<PendingEntry> out = new java.util.ArrayList<>();
        byTarget.getOrDefault(workerId, Set.of()).forEach(s -> out.addAll(entries(s).values()));
        return out;
    }

    static Shape shapeOf(PendingEntry e) {
        return new Shape(e.type(), e.requiredLabels(), e.targetWorker());
    }
}
