package io.drover.server.internal.events;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The coordinator's recent events, in the order the stream releases them (non-decreasing zxid),
 * shared by every subscriber: each reads from its own position, so a subscriber costs a cursor, not
 * a copy. Holds at most {@code capacity} events and none older than {@code maxAgeMs}: at least the
 * last {@code maxAgeMs} of history, or the last {@code capacity} events when that is less.
 *
 * <p><b>Coverage.</b> Every change with a zxid above {@link #coverageFrom()} is in the log (or was
 * evicted, which raises it). ZooKeeper does not replay the notifications a client missed while
 * disconnected, so after a reconnection the log records a {@link FeedEvent#GAP} event for the
 * subscribers streaming then, and coverage restarts at the first notification that follows.
 *
 * <p>Thread-safe: one writer (the feed) and any number of readers; readers block in {@link
 * #awaitBeyond}, never the writer.
 */
public final class EventLog {
    /**
     * Where a subscriber starts: its first sequence number, and whether its resume point is lost.
     */
    public record Start(long seq, boolean gap) {}

    /** Events from a position, or {@code behind} when the position was evicted already. */
    public record Batch(List<FeedEvent> events, long nextSeq, boolean behind) {}

    private final FeedEvent[] ring;
    private final long maxAgeMs;
    private final LongSupplier clock;
    private long firstSeq; // guarded by this
    private long nextSeq; // guarded by this
    private long coverageFrom = Long.MAX_VALUE; // guarded by this; MAX: nothing covered yet
    private boolean uncovered = true; // guarded by this
    private long lastZxid; // guarded by this
    private boolean closed; // guarded by this

    public EventLog(int capacity, long maxAgeMs, LongSupplier clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.ring = new FeedEvent[capacity];
        this.maxAgeMs = maxAgeMs;
        this.clock = clock;
    }

    /** Adds an event released by the feed; zxids must not decrease. */
    public synchronized void append(FeedEvent e) {
        if (uncovered && !FeedEvent.GAP.equals(e.kind())) {
            // the watch saw this transaction whole, and every one after it
            coverageFrom = e.zxid() - 1;
            uncovered = false;
        }
        evict(clock.getAsLong());
        if (nextSeq - firstSeq == ring.length) {
            drop();
        }
        ring[(int) (nextSeq % ring.length)] = e;
        nextSeq++;
        lastZxid = Math.max(lastZxid, e.zxid());
        notifyAll();
    }

    /**
     * Notifications may have been missed (the connection was lost): tells current subscribers, and
     * resumes from before now become gaps until the next notification re-establishes coverage.
     */
    public synchronized void markGap(String json) {
        uncovered = true;
        coverageFrom = Long.MAX_VALUE;
        append(new FeedEvent(lastZxid, FeedEvent.GAP, null, null, null, json, clock.getAsLong()));
        uncovered = true;
        coverageFrom = Long.MAX_VALUE;
    }

    /**
     * Where a subscriber starts. Without a resume point: at the next event. With one: at the first
     * event of that zxid (the client may have seen only part of a multi's events; duplicates are
     * harmless, every event carries the whole latest state), or, when the log no longer covers it,
     * at the next event with {@code gap} set.
     */
    public synchronized Start start(Long resumeZxid) {
        if (resumeZxid == null) {
            return new Start(nextSeq, false);
        }
        evict(clock.getAsLong());
        if (uncovered || resumeZxid <= coverageFrom) {
            return new Start(nextSeq, true);
        }
        long lo = firstSeq;
        long hi = nextSeq;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (at(mid).zxid() < resumeZxid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return new Start(lo, false);
    }

    /** Up to {@code max} events from {@code seq}. */
    public synchronized Batch read(long seq, int max) {
        if (seq < firstSeq) {
            return new Batch(List.of(), seq, true);
        }
        List<FeedEvent> out = new ArrayList<>((int) Math.min(max, nextSeq - seq));
        long s = seq;
        for (; s < nextSeq && out.size() < max; s++) {
            out.add(at(s));
        }
        return new Batch(out, s, false);
    }

    /**
     * Blocks until there are events at or beyond {@code seq}, the timeout passes, or the log
     * closes. Returns false once closed.
     */
    public synchronized boolean awaitBeyond(long seq, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!closed && nextSeq <= seq) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                break;
            }
            wait(leftMs);
        }
        return !closed;
    }

    /** How far behind the newest event {@code seq} is. */
    public synchronized long lag(long seq) {
        return nextSeq - seq;
    }

    /** The zxid of the newest event released, 0 before any. */
    public synchronized long lastZxid() {
        return lastZxid;
    }

    /** Changes above this zxid are all here; {@link Long#MAX_VALUE} while nothing is covered. */
    public synchronized long coverageFrom() {
        return uncovered ? Long.MAX_VALUE : coverageFrom;
    }

    public synchronized int size() {
        return (int) (nextSeq - firstSeq);
    }

    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void evict(long nowMs) {
        while (firstSeq < nextSeq && nowMs - at(firstSeq).atMs() > maxAgeMs) {
            drop();
        }
    }

    private void drop() {
        FeedEvent oldest = at(firstSeq);
        ring[(int) (firstSeq % ring.length)] = null;
        firstSeq++;
        if (!FeedEvent.GAP.equals(oldest.kind())) {
            coverageFrom =
                    Math.max(coverageFrom == Long.MAX_VALUE ? 0 : coverageFrom, oldest.zxid());
        }
    }

    private FeedEvent at(long seq) {
        return ring[(int) (seq % ring.length)];
    }
}
