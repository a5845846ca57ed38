package io.drover.server.internal.events;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Puts notifications back in zxid order after their reads. ZooKeeper delivers a client's
 * notifications in zxid order but without data; each one that needs the node's data starts a read,
 * and reads finish in any order. This queue releases events strictly in notification order, so a
 * stream's ids never go backwards and a client that resumes after id {@code z} misses nothing.
 *
 * <p>Coalescing: a notification for a node that already waits in the queue supersedes the earlier
 * entry, which is dropped; if the earlier read has not answered yet, the new entry shares it,
 * because ZooKeeper answers that read only after it has delivered the notification of every change
 * made before the read was served (one connection, server order), so the answer holds the newest
 * data. That holds only if the read's future completes when the reply to the node's own read is in:
 * a read made of several requests must end with the one whose data must be newest (see {@code
 * EventFeed.readTask}). Intermediate states may thus be skipped; the latest state of every node is
 * always released.
 *
 * <p>Not thread-safe: confined to the feed's executor.
 *
 * @param <R> what a read returns
 */
final class ReleaseQueue<R> {
    /** Turns a read into the event to release, or null for none. */
    interface Maker<R> {
        FeedEvent make(long zxid, R read);
    }

    private static final class Entry<R> {
        final long zxid;
        final String key;
        final CompletableFuture<R> read;
        final Maker<R> maker;
        boolean superseded;

        Entry(long zxid, String key, CompletableFuture<R> read, Maker<R> maker) {
            this.zxid = zxid;
            this.key = key;
            this.read = read;
            this.maker = maker;
        }
    }

    private final ArrayDeque<Entry<R>> queue = new ArrayDeque<>();
    private final Map<String, Entry<R>> latest = new HashMap<>();

    /**
     * Queues a notification. {@code reader} is called only when no unanswered read of the same key
     * can be shared. Returns the read the entry waits for: call {@link #drain} when it completes.
     */
    CompletableFuture<R> add(
            long zxid, String key, Supplier<CompletableFuture<R>> reader, Maker<R> maker) {
        Entry<R> before = latest.get(key);
        CompletableFuture<R> read;
        if (before != null) {
            before.superseded = true;
            read = before.read.isDone() ? reader.get() : before.read;
        } else {
            read = reader.get();
        }
        Entry<R> e = new Entry<>(zxid, key, read, maker);
        queue.add(e);
        latest.put(key, e);
        return read;
    }

    /** Releases, in order, every entry whose read has answered and that nothing waits before. */
    void drain(Consumer<FeedEvent> out) {
        while (!queue.isEmpty()) {
            Entry<R> head = queue.peek();
            if (!head.superseded && !head.read.isDone()) {
                return;
            }
            queue.poll();
            latest.remove(head.key, head);
            if (!head.superseded) {
                FeedEvent e = head.maker.make(head.zxid, head.read.join());
                if (e != null) {
                    out.accept(e);
                }
            }
        }
    }

    int size() {
        return queue.size();
    }
}
