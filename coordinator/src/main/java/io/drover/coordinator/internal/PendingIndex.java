package io.drover.coordinator.internal;

import io.drover.model.PendingEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The leader's in-memory copy of the pending index. Entries that may run now are grouped by "shape"
 * (type plus required labels), so a dispatch pass only looks at shapes some free worker can take,
 * however many tasks wait for a type nobody serves; within a shape they sort by key (priority, then
 * submit time), and only a shape's head is held whole ({@link ShapeQueue}: a deep backlog is held
 * as keys, and read again as the head drains). Entries with a not-before time in the future (retry
 * backoff, delayed start) wait aside, whole, ordered by that time, until {@link #promote(long)}
 * moves them in. A task for one worker only (a broadcast's response) has a shape of its own, with
 * that worker as its target; broadcasts themselves are not dispatched but fanned out, so they wait
 * apart ({@link #broadcasts()}). Not thread-safe: the leader's thread only.
 */
final class PendingIndex {
    /**
     * @param target the only worker the shape's tasks may run on, or null for any capable one
     */
    record Shape(String type, Map<String, String> labels, String target) {}

    private final Map<Shape, ShapeQueue> byShape = new HashMap<>();
    private final TreeMap<String, PendingEntry> broadcasts = new TreeMap<>();
    private final Map<String, Set<Shape>> byTarget = new HashMap<>();
    private final Map<String, PendingSlot> byTask = new HashMap<>();
    private final TreeMap<Long, Set<String>> delayed = new TreeMap<>();

    // Kept as entries come and go, so that the leader's live counts cost no pass over the index.
    private final Map<String, Long> countByType = new HashMap<>();
    private final Map<String, Long> countByPrincipal = new HashMap<>();
    private long specBytes;

    /** Adds or replaces the entry of a task; {@code nowMs} decides whether it waits aside. */
    void add(PendingEntry entry, long nowMs) {
        Shape shape = entry.broadcast() ? null : shapeOf(entry);
        ShapeQueue known = shape == null ? null : byShape.get(shape);
        PendingSlot s = new PendingSlot(entry, known == null ? shape : known.shape);
        PendingSlot previous = byTask.put(entry.taskId(), s);
        if (previous != null) {
            unlink(previous);
            count(previous, -1);
            s.keepWhole = previous.keepWhole;
        }
        count(s, 1);
        long notBefore = entry.status().notBeforeMs();
        if (notBefore > nowMs) {
            delayed.computeIfAbsent(notBefore, t -> new HashSet<>()).add(entry.taskId());
        } else {
            queue(s);
        }
    }

    private void queue(PendingSlot s) {
        if (s.shape == null) {
            broadcasts.put(s.entry.key(), s.entry);
            return;
        }
        byShape.computeIfAbsent(s.shape, ShapeQueue::new).offer(s);
        if (s.shape.target() != null) {
            byTarget.computeIfAbsent(s.shape.target(), t -> new HashSet<>()).add(s.shape);
        }
    }

    /** Removes the entry of a task if it is this key's. */
    boolean remove(String taskId, String key) {
        PendingSlot s = byTask.get(taskId);
        if (s == null || !s.key().equals(key)) {
            return false;
        }
        byTask.remove(taskId);
        unlink(s);
        count(s, -1);
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

    private void count(PendingSlot s, long delta) {
        countByType.merge(s.type(), delta, Long::sum);
        countByType.remove(s.type(), 0L);
        if (s.submittedBy != null) {
            countByPrincipal.merge(s.submittedBy, delta, Long::sum);
            countByPrincipal.remove(s.submittedBy, 0L);
        }
        specBytes += delta * s.specBytes;
    }

    /** The task's entry if the index holds it whole; null if it holds none, or only the key. */
    PendingEntry get(String taskId) {
        PendingSlot s = byTask.get(taskId);
        return s == null ? null : s.entry;
    }

    /** Whether the task is pending as far as the index knows, whole or cold. */
    boolean contains(String taskId) {
        return byTask.containsKey(taskId);
    }

    /**
     * For a task held cold: from now on its entry is held whole wherever it sorts, once read again;
     * returns its key, or null when the index holds the task whole already or not at all.
     */
    String keepWhole(String taskId) {
        PendingSlot s = byTask.get(taskId);
        if (s == null || s.entry != null) {
            return null;
        }
        s.keepWhole = true;
        return s.key();
    }

    private void unlink(PendingSlot s) {
        PendingEntry e = s.entry;
        if (e != null) {
            Set<String> at = delayed.get(e.status().notBeforeMs());
            if (at != null && at.remove(e.taskId()) && at.isEmpty()) {
                delayed.remove(e.status().notBeforeMs());
            }
        }
        if (s.shape == null) {
            broadcasts.remove(s.entry.key());
            return;
        }
        ShapeQueue q = byShape.get(s.shape);
        if (q == null) {
            return; // waiting aside in a shape with nothing due
        }
        q.unlink(s);
        if (q.isEmpty()) {
            byShape.remove(s.shape);
            Shape shape = s.shape;
            Set<Shape> t = shape.target() == null ? null : byTarget.get(shape.target());
            if (t != null && t.remove(shape) && t.isEmpty()) {
                byTarget.remove(shape.target());
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
                PendingSlot s = byTask.get(taskId);
                if (s != null) {
                    queue(s);
                }
            }
        }
        return delayed.isEmpty() ? -1 : delayed.firstKey();
    }

    /**
     * Cold tasks to read again now (task id, key), where a shape's head runs low; each is read once
     * until it comes back through {@link #add} or goes.
     */
    List<PendingSlot> toWarm() {
        List<PendingSlot> out = new ArrayList<>();
        byShape.values().forEach(q -> out.addAll(q.toWarm()));
        return out;
    }

    /** Shapes with tasks due now; some may have only cold ones at the moment. */
    Collection<Shape> shapes() {
        return byShape.keySet();
    }

    /** A shape's hot entries in key order; the iterator reads the index's own maps. */
    Iterator<PendingEntry> entries(Shape shape) {
        ShapeQueue q = byShape.get(shape);
        return q == null ? java.util.Collections.emptyIterator() : q.hotEntries();
    }

    /** Tasks held cold, as keys: the part of the backlog the leader would read again. */
    long coldCount() {
        long cold = 0;
        for (ShapeQueue q : byShape.values()) {
            cold += q.coldCount();
        }
        return cold;
    }

    /** Every task the index holds, whole or cold; a copy. */
    List<PendingSlot> slots() {
        return new ArrayList<>(byTask.values());
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
    List<PendingEntry> targeting(String workerId) {
        List<PendingEntry> out = new ArrayList<>();
        byTarget.getOrDefault(workerId, Set.of())
                .forEach(s -> entries(s).forEachRemaining(out::add));
        return out;
    }

    static Shape shapeOf(PendingEntry e) {
        return new Shape(e.type(), e.requiredLabels(), e.targetWorker());
    }
}
