package io.drover.protocol.runtime;

import java.util.Set;
import java.util.function.Consumer;

/** What a {@link WatchedFolder} reports: called on its executor only, one call at a time. */
public interface FolderListener {
    void upserted(String path, byte[] data, int version);

    void removed(String path);

    /** The first listing has been read in full. */
    default void initialized() {}

    /**
     * The watch is registered (again): every change from now on is heard, and a listing follows.
     * Whatever another watch on this session heard before this call, it heard before this watch.
     */
    default void watchSet() {}

    /**
     * For a listener that tracks its paths ({@link Tracking#LISTENER}), after each listing but the
     * first and before its reads: the paths there now; forget the others.
     */
    default void relisted(Set<String> present) {}

    /** A listener of two callbacks (and one for the first listing). */
    static FolderListener of(Upsert upserted, Consumer<String> removed, Runnable initialized) {
        return new FolderListener() {
            @Override
            public void upserted(String path, byte[] data, int version) {
                upserted.accept(path, data, version);
            }

            @Override
            public void removed(String path) {
                removed.accept(path);
            }

            @Override
            public void initialized() {
                initialized.run();
            }
        };
    }

    static FolderListener of(Upsert upserted, Consumer<String> removed) {
        return of(upserted, removed, () -> {});
    }

    /** A node read: its path, data and version. */
    @FunctionalInterface
    public interface Upsert {
        void accept(String path, byte[] data, int version);
    }
}
