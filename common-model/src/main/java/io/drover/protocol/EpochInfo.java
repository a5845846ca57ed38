package io.drover.protocol;

import io.drover.model.DroverException;

/**
 * The data of {@code leader/epoch}: who bumped it last and when. The epoch itself is the node's
 * version, which no data can forge; this record is for people and for {@code GET /v1/cluster}.
 */
public record EpochInfo(String leader, long sinceMs) {
    /** The epoch node of a cluster that has never had a leader. */
    public static final EpochInfo NONE = new EpochInfo("", 0);

    public EpochInfo {
        leader = leader == null ? "" : leader;
    }

    void validate() {
        if (leader.length() > 128 || sinceMs < 0) {
            throw new DroverException(
                    "leader must be at most 128 characters and sinceMs not negative", false);
        }
    }
}
