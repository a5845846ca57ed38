package io.drover.coordinator.internal;

import io.drover.model.PendingEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * The due tasks of one {@link PendingIndex.Shape}, in key order (priority, then submit time). Only
 * the first {@link #HOT} are held whole ("hot": what a dispatch pass reads); the ones behind them
 * are "cold", held as their key's parts and what the live counts need ({@link PendingSlot}), so
 * that a deep backlog costs the leader a fifth of the memory (issue 15). When the hot ones run
 * below half, the first cold ones are handed out to be read again ({@link #toWarm()}); a read entry
 * comes back through {@link PendingIndex#add} and joins the hot ones. Every hot key sorts before
 * every idle cold key, so dispatch order is kept. A shape for one worker only is never cold: it is
 * small by nature. Pure; not thread-safe: the leader's thread only.
 */
final class ShapeQueue {
    /** The tasks of a shape held whole; a pass assigns at most the cluster's free slots of them. */
    static final int HOT = 1_000;

    final PendingIndex.Shape shape;
    private final TreeSet<PendingSlot> hot = new TreeSet<>(PendingSlot.ORDER);
    private final TreeSet<PendingSlot> idle = new TreeSet<>(PendingSlot.ORDER);
    private int warming;

    ShapeQueue(PendingIndex.Shape shape) {
        this.shape = shape;
    }

    /** Queues a slot that holds its entry; it may go cold at once if it sorts behind cold ones. */
    void offer(PendingSlot s) {
        if (!idle.isEmpty() && PendingSlot.ORDER.compare(s, idle.first()) > 0) {
            chill(s);
            return;
        }
        hot.add(s);
        if (hot.size() > HOT && shape.target() == null) {
            chill(hot.pollLast());
        }
    }

    private void chill(PendingSlot s) {
        if (!s.keepWhole) {
            s.entry = null;
        }
        idle.add(s);
    }

    /** Takes a slot out, wherever it is. */
    void unlink(PendingSlot s) {
        if (s.warming) {
            s.warming = false;
            warming--;
        } else if (!hot.remove(s)) {
            idle.remove(s);
        }
    }

    /**
     * Cold slots to read again now, marked as being read: the first idle ones, up to {@link #HOT}
     * with the hot ones and those already being read, once those fall below half of it.
     */
    List<PendingSlot> toWarm() {
        if (idle.isEmpty() || hot.size() + warming >= HOT / 2) {
            return List.of();
        }
        List<PendingSlot> out = new ArrayList<>();
        while (!idle.isEmpty() && hot.size() + warming < HOT) {
            PendingSlot s = idle.pollFirst();
            s.warming = true;
            warming++;
            out.add(s);
        }
        return out;
    }

    boolean isEmpty() {
        return hot.isEmpty() && idle.isEmpty() && warming == 0;
    }

    boolean hasHot() {
        return !hot.isEmpty();
    }

    /** The hot entries in key order; the iterator reads the queue's own map. */
    Iterator<PendingEntry> hotEntries() {
        return hot.stream().map(s -> s.entry).iterator();
    }

    int hotCount() {
        return hot.size();
    }

    int coldCount() {
        return idle.size() + warming;
    }
}
