package io.drover.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a worker announces in its ephemeral {@code workers/<id>} node.
 *
 * @param capacity how many tasks it runs at once
 * @param taskTypes the handler types it has
 * @param labels free-form key/values that tasks may require
 * @param version the Drover version it runs
 * @param servesItems whether it has an item handler (load/drop items); older writers: false
 */
public record WorkerInfo(
        @JsonProperty("v") int formatVersion,
        String id,
        int capacity,
        List<String> taskTypes,
        Map<String, String> labels,
        WorkerState state,
        String version,
        String host,
        long startedAtMs,
        boolean servesItems) {

    public static final int FORMAT_VERSION = 1;

    /** Most tasks one worker may run at once (the worker's own config enforces the same bound). */
    public static final int MAX_CAPACITY = 10_000;

    public WorkerInfo {
        taskTypes = taskTypes == null ? List.of() : taskTypes.stream().sorted().toList();
        labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
        state = state == null ? WorkerState.ACTIVE : state;
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
    }

    public boolean supports(String type, Map<String, String> requiredLabels) {
        return taskTypes.contains(type) && Names.labelsMatch(requiredLabels, labels);
    }

    public WorkerInfo withState(WorkerState newState) {
        return new WorkerInfo(
                formatVersion,
                id,
                capacity,
                taskTypes,
                labels,
                newState,
                version,
                host,
                startedAtMs,
                servesItems);
    }
}
