package io.drover.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The leader's order to a worker, at {@code assignments/<workerId>/<taskId>}. It carries the status
 * as the leader wrote it and that status's znode version, so the worker claims without a read, and
 * the spec when it was small enough to travel inline (else null: the worker reads {@code tasks/}).
 * {@code cancelRequested} tells the worker to stop the attempt and commit CANCELLED.
 */
public record Assignment(
        @JsonProperty("v") int formatVersion,
        TaskStatus status,
        int statusVersion,
        TaskSpec spec,
        boolean cancelRequested,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknown) {

    public static final int FORMAT_VERSION = 1;

    public Assignment {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        unknown = Unknown.copy(unknown);
    }

    public Assignment(int formatVersion, TaskStatus status, int statusVersion, TaskSpec spec) {
        this(formatVersion, status, statusVersion, spec, false, null);
    }

    /**
     * The same order with a cancellation request attached (the leader's way to reach the running
     * worker).
     */
    public Assignment withCancelRequested() {
        return new Assignment(formatVersion, status, statusVersion, spec, true, unknown);
    }

    public String taskId() {
        return status.taskId();
    }
}
