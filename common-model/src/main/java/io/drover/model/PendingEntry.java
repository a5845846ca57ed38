package io.drover.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of the dispatch index at {@code pending/<bucket>/<key>}. It carries exactly what the
 * leader needs to route and assign without reading the spec: type, labels, priority, and the status
 * with its znode version. A small spec rides along inline ({@code spec}), so the worker need not
 * read it either; a large one stays only in {@code tasks/}.
 *
 * @param broadcast the task is a broadcast: the leader fans it out rather than assigning it (absent
 *     from writers before broadcasts, which wrote none)
 * @param targetWorker the only worker the task may run on (a broadcast's response), or null
 */
public record PendingEntry(
        @JsonProperty("v") int formatVersion,
        int priority,
        Map<String, String> requiredLabels,
        TaskStatus status,
        int statusVersion,
        TaskSpec spec,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean broadcast,
        @JsonInclude(JsonInclude.Include.NON_NULL) String targetWorker) {

    public static final int FORMAT_VERSION = 1;

    /** Specs up to this many encoded bytes are copied into the pending entry and the assignment. */
    public static final int INLINE_SPEC_BYTES = 4 * 1024;

    /** The entry for a task whose status (at {@code statusVersion}) says PENDING. */
    public static PendingEntry of(
            TaskSpec spec, int encodedSpecBytes, TaskStatus status, int statusVersion) {
        return new PendingEntry(
                FORMAT_VERSION,
                spec.priority(),
                spec.requiredLabels(),
                status,
                statusVersion,
                encodedSpecBytes <= INLINE_SPEC_BYTES ? spec : null,
                spec.broadcast() != null,
                spec.targetWorker());
    }

    /** The same entry for the status version after a rewrite of the status. */
    public PendingEntry atVersion(int version) {
        return new PendingEntry(
                formatVersion,
                priority,
                requiredLabels,
                status,
                version,
                spec,
                broadcast,
                targetWorker);
    }

    public static PendingEntry of(TaskSpec spec, TaskStatus status, int statusVersion) {
        return of(spec, DroverJson.encode(spec).length, status, statusVersion);
    }

    public PendingEntry {
        requiredLabels =
                requiredLabels == null ? Map.of() : Map.copyOf(new TreeMap<>(requiredLabels));
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

    /**
     * The znode name: sorts by priority (highest first), then submit time and sequence, then id.
     */
    public String key() {
        return PendingKey.of(priority, status.submittedAtMs(), status.submitSeq(), status.taskId());
    }
}
