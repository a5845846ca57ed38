package io.drover.protocol.runtime;

import io.drover.model.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.curator.framework.CuratorFramework;

/**
 * Reads the nodes of one listing of a {@link WatchedFolder}, a window at a time, on a reader of its
 * own. A new leader lists hundreds of thousands of pending entries; read all at once on the reader
 * that also reads new nodes, they would queue ahead of a task submitted meanwhile, which then
 * waited for the whole backlog (3.6 s at 100,000). On a reader of their own they take turns with
 * it: a session's requests are served in order, so a new node's read waits for at most one multi of
 * the listing. The window bounds the reads held in memory at once. Executor only.
 */
final class ListingLoad {
    /** Reads queued or in flight at once. */
    static final int WINDOW = 1_000;

    /** Hands a read's outcome to the folder. */
    interface Apply {
        void apply(String path, Optional<Versioned<byte[]>> value, Throwable error);
    }

    private final List<String> paths;
    private final BatchedReader reader;
    private final Executor executor;
    private final Apply apply;
    private final Runnable loaded;
    private int next;
    private int inFlight;
    private volatile boolean cancelled; // by a newer listing, or by closing (any thread)
    private boolean done;

    /**
     * @param paths in the order to read them ({@link #readOrder}); let go of as they are read
     */
    ListingLoad(
            List<String> paths,
            BatchedReader reader,
            Executor executor,
            Apply apply,
            Runnable loaded) {
        this.paths = paths;
        this.reader = reader;
        this.executor = executor;
        this.apply = apply;
        this.loaded = loaded;
    }

    /** The paths {@code depth} levels under {@code root}, listed now. Blocking. */
    static List<String> collect(CuratorFramework client, String root, int depth) throws Exception {
        List<String> out = new ArrayList<>();
        for (String child : client.getChildren().forPath(root)) {
            String p = root + "/" + child;
            if (depth == 1) {
                out.add(p);
            } else {
                out.addAll(collect(client, p, depth - 1));
            }
        }
        return out;
    }

    /** The paths by name, taken alternately from the front and from the back. */
    static List<String> readOrder(List<String> paths) {
        List<String> byName = new ArrayList<>(paths);
        byName.sort(ListingLoad::byName);
        List<String> out = new ArrayList<>(byName.size());
        for (int front = 0, back = byName.size() - 1; front <= back; front++, back--) {
            out.add(byName.get(front));
            if (front < back) {
                out.add(byName.get(back));
            }
        }
        return out;
    }

    /** Compares the last segments of two paths, without copying them. */
    static int byName(String a, String b) {
        int i = a.lastIndexOf('/') + 1;
        int j = b.lastIndexOf('/') + 1;
        int n = Math.min(a.length() - i, b.length() - j);
        for (int k = 0; k < n; k++) {
            int c = a.charAt(i + k) - b.charAt(j + k);
            if (c != 0) {
                return c;
            }
        }
        return (a.length() - i) - (b.length() - j);
    }

    void start() {
        more();
    }

    /**
     * A newer listing replaces this one (what is still in flight is dropped: it reads it again), or
     * the folder closes. Any thread.
     */
    void cancel() {
        cancelled = true;
    }

    private void more() {
        while (!cancelled && inFlight < WINDOW && next < paths.size()) {
            String path = paths.set(next++, null); // a deep listing is let go of as it is read
            inFlight++;
            reader.read(path)
                    .handleAsync(
                            (value, error) -> {
                                if (!cancelled) {
                                    inFlight--;
                                    apply.apply(path, value, error);
                                    more();
                                }
                                return null;
                            },
                            executor);
        }
        if (!cancelled && !done && inFlight == 0 && next == paths.size()) {
            done = true;
            loaded.run();
        }
    }
}
