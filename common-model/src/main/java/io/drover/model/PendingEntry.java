package io.drover.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of the dispatch index at {@code pending/<bucket>/<key>}. It carries exactly what the
 * leader needs to route and assign without reading the spec: type, labels, priority, and the
 * status with its znode version.
 */
public record PendingEntry(
        @JsonProperty("v") int formatVersion,
        int priority,
        Map<String, String> requiredLabels,
        TaskStatus status,
        int statusVersion) {

    public static final int FORMAT_VERSION = 1;

    public PendingEntry {
        requiredLabels = requiredLabels == null ? Map.of() : Map.copyOf(new TreeMap<>(requiredLabels));
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
    }

    public String taskId() {
        return status.taskId();
    }

    public String type() {
        return status.type();
    }

    /** The znode name: sorts by priority (highest first), then submit time, then id. */
    public String key() {
        return PendingKey.of(priority, status.submittedAtMs(), status.taskId());
    }
}
