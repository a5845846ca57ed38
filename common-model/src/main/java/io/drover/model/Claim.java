package io.drover.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The ephemeral {@code claims/<taskId>} node: which worker session runs which attempt. */
public record Claim(
        @JsonProperty("v") int formatVersion, String workerId, int attempt, long claimedAtMs) {
    public static final int FORMAT_VERSION = 1;

    public Claim {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
    }
}
