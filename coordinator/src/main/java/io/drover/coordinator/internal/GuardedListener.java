package io.drover.coordinator.internal;

import io.drover.protocol.CorruptNodes;
import io.drover.protocol.ZnodeKind;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.FolderListener;
import java.util.function.Consumer;

/**
 * Listeners for the item folders behind the corrupt-node guard: every callback first checks that
 * the names in the path are ids (they become paths the leader writes), and a node that does not
 * validate is reported and skipped until it changes, never stopping the watch. Leader thread only.
 */
final class GuardedListener {
    private GuardedListener() {}

    static FolderListener of(
            CorruptNodes corrupt,
            FolderListener.Upsert upsert,
            Consumer<String> removed,
            Runnable initialized) {
        return corrupt.guarding(
                FolderListener.of(
                        (path, data, version) -> {
                            checkNames(path);
                            upsert.accept(path, data, version);
                        },
                        path -> {
                            checkNames(path);
                            removed.accept(path);
                        },
                        initialized));
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
