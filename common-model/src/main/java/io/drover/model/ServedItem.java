package io.drover.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The ephemeral {@code served/<workerId>/<itemId>} node: this worker's session holds the item, so
 * it vanishes with the session and a dead worker's items are visibly unserved at once.
 *
 * @param itemCreatedAtMs the {@code createdAtMs} of the declaration that was loaded: an item
 *     deleted and declared again is a new item, and replicas of the old one do not count (0 from
 *     older writers: unknown, counted)
 */
public record ServedItem(
        @JsonProperty("v") int formatVersion,
        String workerId,
        String itemId,
        long loadedAtMs,
        long epoch,
        long itemCreatedAtMs) {
    public static final int FORMAT_VERSION = 1;

    public ServedItem {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
    }
}
