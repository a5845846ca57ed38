package io.drover.coordinator.internal;

import io.drover.model.PendingEntry;
import io.drover.model.PendingKey;
import io.drover.model.TaskSpec;
import java.util.Comparator;

/**
 * What the {@link PendingIndex} holds of one pending task. {@code entry} is null while the task is
 * cold ({@link ShapeQueue}), unless it is to be kept whole; the rest is what ordering and counting
 * it take. The key is held as its parts, not as the string ({@link PendingKey}), which for a deep
 * backlog is a good part of the leader's heap. Not thread-safe: the leader's thread only.
 */
final class PendingSlot {
    /** The order of the keys' strings: priority (highest first), submit time, sequence, task id. */
    static final Comparator<PendingSlot> ORDER =
            Comparator.<PendingSlot>comparingInt(s -> TaskSpec.MAX_PRIORITY - s.priority)
                    .thenComparingLong(s -> s.submittedAtMs)
                    .thenComparingLong(s -> s.submitSeq)
                    .thenComparing(s -> s.taskId);

    final String taskId;
    final PendingIndex.Shape shape; // the index's own instance; null for a broadcast
    final String submittedBy;
    final long specBytes;
    private final int priority;
    private final long submittedAtMs;
    private final long submitSeq;
    PendingEntry entry;
    boolean warming;
    boolean keepWhole;

    PendingSlot(PendingEntry e, PendingIndex.Shape shape) {
        this.taskId = e.taskId();
        this.shape = shape;
        String by = e.status().submittedBy();
        this.submittedBy = by == null ? null : by.intern(); // a few principals, many tasks
        this.specBytes = e.status().specBytes();
        this.priority = e.priority();
        this.submittedAtMs = e.status().submittedAtMs();
        this.submitSeq = e.status().submitSeq();
        this.entry = e;
    }

    String taskId() {
        return taskId;
    }

    /** The key, built anew: its node's name under {@code pending/<bucket>/}. */
    String key() {
        return PendingKey.of(priority, submittedAtMs, submitSeq, taskId);
    }

    String type() {
        return shape == null ? entry.type() : shape.type();
    }
}
