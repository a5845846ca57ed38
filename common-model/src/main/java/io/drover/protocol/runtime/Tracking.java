package io.drover.protocol.runtime;

/**
 * Who remembers which nodes a {@link WatchedFolder}'s listener heard of, so that it hears of their
 * removal.
 */
public enum Tracking {
    /** The folder does, and reports the removal of those only. */
    FOLDER,
    /** The folder does, yet reports every removal and every read that finds nothing. */
    FOLDER_EVERY_REMOVAL,
    /**
     * The listener does: the folder keeps no paths (for a deep folder, most of what watching it
     * costs), reports every removal, and hands the listener each new listing ({@link
     * FolderListener#relisted}).
     */
    LISTENER
}
