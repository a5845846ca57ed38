package io.drover.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph of tasks submitted as a unit, at {@code graphs/<id>}: its state, its tasks and their
 * edges. The edges are kept here, as indexes, so that a graph can be shown (and its re-run ordered)
 * without reading its tasks' specs: task {@code i} depends on {@code tasks[j]} for each {@code j <
 * tasks.size()} in {@code dependsOn[i]}, and on {@code external[j - tasks.size()]} (a task
 * submitted before the graph) for the others. Written once STAGING by the submitter, sealed
 * (RUNNING) by the submitter's one versioned write, ended by the leader. See {@code
 * docs/workflows.md}.
 *
 * @param createdAtMs when the submitter started staging it (the submitter's clock)
 * @param submittedBy who submitted it through an API with authentication, or null
 * @param finishedAtMs when the leader saw its last task end (0 while it runs)
 * @param counts how its tasks ended, once it has ended
 * @param reruns how many times it was re-run
 * @param unknown fields a newer writer added: kept and written back
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GraphRecord(
        @JsonProperty("v") int formatVersion,
        String id,
        GraphState state,
        long createdAtMs,
        String submittedBy,
        List<String> tasks,
        List<List<Integer>> dependsOn,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> external,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long finishedAtMs,
        Counts counts,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int reruns,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknown) {

    public static final int FORMAT_VERSION = 1;

    /** Most tasks in one graph. */
    public static final int MAX_TASKS = 20_000;

    /** Largest encoded record: it is written in one request, well under {@code jute.maxbuffer}. */
    public static final int MAX_BYTES = 768 * 1024;

    /** How the tasks of an ended graph ended; {@code gone}: deleted by retention meanwhile. */
    public record Counts(int succeeded, int failed, int cancelled, int gone) {}

    public GraphRecord {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        dependsOn = dependsOn == null ? List.of() : dependsOn.stream().map(List::copyOf).toList();
        external = external == null ? List.of() : List.copyOf(external);
        unknown = Unknown.copy(unknown);
    }

    /** Throws {@link InvalidTaskException} naming the first rule it breaks; returns itself. */
    public GraphRecord validate() {
        Names.checkId("id", id);
        if (state == null) {
            throw new InvalidTaskException("state", "is required");
        }
        if (tasks.isEmpty() || tasks.size() > MAX_TASKS) {
            throw new InvalidTaskException(
                    "tasks", "must hold 1 to " + MAX_TASKS + " tasks, held " + tasks.size());
        }
        if (dependsOn.size() != tasks.size()) {
            throw new InvalidTaskException("dependsOn", "must hold one list per task");
        }
        tasks.forEach(t -> Names.checkId("tasks", t));
        external.forEach(t -> Names.checkId("external", t));
        int all = tasks.size() + external.size();
        for (List<Integer> deps : dependsOn) {
            if (deps.size() > TaskSpec.MAX_DEPENDS_ON) {
                throw new InvalidTaskException("dependsOn", "holds a list over the maximum");
            }
            for (Integer j : deps) {
                if (j == null || j < 0 || j >= all) {
                    throw new InvalidTaskException(
                            "dependsOn", "holds an index out of range: " + j);
                }
            }
        }
        if (submittedBy != null
                && (submittedBy.isBlank()
                        || submittedBy.length() > 256
                        || submittedBy.chars().anyMatch(c -> c < 0x20))) {
            throw new InvalidTaskException(
                    "submittedBy", "must be 1-256 characters without control characters");
        }
        return this;
    }

    /** The ids task {@code i} depends on, in the order submitted. */
    public List<String> dependenciesOf(int i) {
        List<String> out = new ArrayList<>(dependsOn.get(i).size());
        for (int j : dependsOn.get(i)) {
            out.add(j < tasks.size() ? tasks.get(j) : external.get(j - tasks.size()));
        }
        return out;
    }

    /** The tasks of the graph that depend on {@code taskId}, in the graph's order. */
    public List<String> dependentsOf(String taskId) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            index.put(tasks.get(i), i);
        }
        for (int j = 0; j < external.size(); j++) {
            index.putIfAbsent(external.get(j), tasks.size() + j);
        }
        Integer target = index.get(taskId);
        List<String> out = new ArrayList<>();
        for (int i = 0; target != null && i < tasks.size(); i++) {
            if (dependsOn.get(i).contains(target)) {
                out.add(tasks.get(i));
            }
        }
        return out;
    }

    /** The same graph in another state. */
    public GraphRecord in(GraphState next, long finishedAt, Counts ended, int runs) {
        return new GraphRecord(
                formatVersion,
                id,
                next,
                createdAtMs,
                submittedBy,
                tasks,
                dependsOn,
                external,
                finishedAt,
                ended,
                runs,
                unknown);
    }
}
