package io.drover.coordinator.internal;

import io.drover.model.PendingEntry;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The leader's in-memory copy of the pending index, grouped by "shape" (type plus required labels)
 * so a dispatch pass only looks at shapes some free worker can take, however many tasks wait for
 * a type nobody serves. Within a shape entries sort by key: priority, then submit time.
 * Not thread-safe: the leader's thread only.
 */
final class PendingIndex {
    record Shape(String type, Map<String, String> labels) {}

    private final Map<Shape, TreeMap<String, PendingEntry>> byShape = new HashMap<>();
    private final Map<String, PendingEntry> byTask = new HashMap<>();

    void add(PendingEntry entry) {
        PendingEntry previous = byTask.put(entry.taskId(), entry);
        if (previous != null) {
            removeFromShape(previous);
        }
        byShape.computeIfAbsent(shapeOf(entry), s -> new TreeMap<>()).put(entry.key(), entry);
    }

    /** Removes the entry of a task if it is this key's. */
    boolean remove(String taskId, String key) {
        PendingEntry e = byTask.get(taskId);
        if (e == null || !e.key().equals(key)) {
            return false;
        }
        byTask.remove(taskId);
        removeFromShape(e);
        return true;
    }

    private void removeFromShape(PendingEntry e) {
        Shape shape = shapeOf(e);
        TreeMap<String, PendingEntry> m = byShape.get(shape);
        if (m != null) {
            m.remove(e.key());
            if (m.isEmpty()) {
                byShape.remove(shape);
            }
        }
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

    static Shape shapeOf(PendingEntry e) {
        return new Shape(e.type(), e.requiredLabels());
    }
}
