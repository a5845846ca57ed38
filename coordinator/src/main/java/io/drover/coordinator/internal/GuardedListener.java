package io.drover.coordinator.internal;

import io.drover.protocol.CorruptNodes;
import io.drover.protocol.ZnodeKind;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.WatchedFolder;
import java.util.function.Consumer;

/**
 * A {@link WatchedFolder.Listener} for the item folders behind the corrupt-node guard: every
 * callback first checks that the names in the path are ids (they become paths the leader writes),
 * and a node that does not validate is reported and skipped until it changes, never stopping the
 * watch. Leader thread only.
 */
final class GuardedListener implements WatchedFolder.Listener {
    /** A node read: its path, data and version. */
    interface Upsert {
        void accept(String path, byte[] data, int version);
    }

    private final CorruptNodes corrupt;
    private final Upsert upsert;
    private final Consumer<String> removed;
    private final Runnable initialized;

    GuardedListener(
            CorruptNodes corrupt, Upsert upsert, Consumer<String> removed, Runnable initialized) {
        this.corrupt = corrupt;
        this.upsert = upsert;
        this.removed = removed;
        this.initialized = initialized;
    }

    @Override
    public void upserted(String path, byte[] data, int version) {
        corrupt.guard(
                path,
                version,
                () -> {
                    checkNames(path);
                    upsert.accept(path, data, version);
                });
    }

    @Override
    public void removed(String path) {
        corrupt.cleared(path);
        corrupt.guard(
                path,
                -1,
                () -> {
                    checkNames(path);
                    removed.accept(path);
                });
    }

    @Override
    public void initialized() {
        initialized.run();
    }

    /** Item ids, and worker folders under {@code served/} and {@code loadqueue/}, must be ids. */
    private static void checkNames(String path) {
        Znodes.idName(ZnodeKind.ITEM, path);
        String parent = path.substring(0, path.lastIndexOf('/'));
        if (!parent.endsWith("/items")) {
            Znodes.idName(ZnodeKind.FOLDER, parent);
        }
    }
}
