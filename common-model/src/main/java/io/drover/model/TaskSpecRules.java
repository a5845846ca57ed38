package io.drover.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks and comparisons behind {@link TaskSpec}: kept out of the record so that its file stays
 * the readable description of the stored format, while the rules can grow on their own.
 */
final class TaskSpecRules {
    private TaskSpecRules() {}

    /** Throws {@link InvalidTaskException} naming the first bad field. */
    static void validate(TaskSpec spec) {
        Names.checkId("id", spec.id());
        Names.checkName("type", spec.type());
        int priority = spec.priority();
        if (priority < TaskSpec.MIN_PRIORITY || priority > TaskSpec.MAX_PRIORITY) {
            throw new InvalidTaskException(
                    "priority",
                    "must be between "
                            + TaskSpec.MIN_PRIORITY
                            + " and "
                            + TaskSpec.MAX_PRIORITY
                            + ", was "
                            + priority);
        }
        int maxAttempts = spec.maxAttempts();
        if (maxAttempts < 1 || maxAttempts > TaskSpec.MAX_ATTEMPTS) {
            throw new InvalidTaskException(
                    "maxAttempts",
                    "must be between 1 and " + TaskSpec.MAX_ATTEMPTS + ", was " + maxAttempts);
        }
        Names.checkLabels("requiredLabels", spec.requiredLabels());
        if (spec.payload() != null && depth(spec.payload()) > TaskSpec.MAX_PAYLOAD_DEPTH) {
            throw new InvalidTaskException(
                    "payload", "is nested deeper than " + TaskSpec.MAX_PAYLOAD_DEPTH + " levels");
        }
        if (spec.retry() != null) {
            spec.retry().validate();
        }
        long timeoutMs = spec.timeoutMs();
        if (timeoutMs < 0 || timeoutMs > TaskSpec.MAX_TIMEOUT_MS) {
            throw new InvalidTaskException(
                    "timeoutMs",
                    "must be between 0 (none) and "
                            + TaskSpec.MAX_TIMEOUT_MS
                            + ", was "
                            + timeoutMs);
        }
        long submitSeq = spec.submitSeq();
        if (submitSeq < 0 || submitSeq > PendingKey.MAX_SEQ) {
            throw new InvalidTaskException(
                    "submitSeq",
                    "must be between 0 and " + PendingKey.MAX_SEQ + ", was " + submitSeq);
        }
        if (spec.notBeforeMs() < 0) {
            throw new InvalidTaskException(
                    "notBeforeMs", "must not be negative, was " + spec.notBeforeMs());
        }
        String key = spec.idempotencyKey();
        if (key != null) {
            if (key.isEmpty() || key.length() > 256) {
                throw new InvalidTaskException(
                        "idempotencyKey", "must be 1-256 characters, was " + key.length());
            }
            if (!spec.id().equals(TaskSpec.idForKey(key))) {
                throw new InvalidTaskException(
                        "id",
                        "must be left out when an idempotencyKey is given (it is derived from the key)");
            }
        }
        String by = spec.submittedBy();
        if (by != null
                && (by.isBlank() || by.length() > 256 || by.chars().anyMatch(c -> c < 0x20))) {
            throw new InvalidTaskException(
                    "submittedBy", "must be 1-256 characters without control characters");
        }
        validateLinks(spec);
    }

    /** The workflow fields: dependencies, graph, broadcast and schedule. */
    private static void validateLinks(TaskSpec spec) {
        List<String> deps = spec.dependsOn();
        if (deps.size() > TaskSpec.MAX_DEPENDS_ON) {
            throw new InvalidTaskException(
                    "dependsOn",
                    "names " + deps.size() + " tasks; at most " + TaskSpec.MAX_DEPENDS_ON);
        }
        Set<String> seen = new HashSet<>();
        for (String dep : deps) {
            Names.checkId("dependsOn", dep);
            if (dep.equals(spec.id())) {
                throw new InvalidTaskException("dependsOn", "names the task itself: " + dep);
            }
            if (!seen.add(dep)) {
                throw new InvalidTaskException("dependsOn", "names " + dep + " twice");
            }
        }
        if (spec.graphId() != null) {
            Names.checkId("graphId", spec.graphId());
        }
        if (spec.parentId() != null) {
            Names.checkId("parentId", spec.parentId());
        }
        if (spec.targetWorker() != null) {
            Names.checkId("targetWorker", spec.targetWorker());
        }
        if (spec.scheduleId() != null) {
            Names.checkId("scheduleId", spec.scheduleId());
        }
        if (spec.broadcast() != null) {
            spec.broadcast().validate();
            if (!deps.isEmpty() || spec.targetWorker() != null) {
                throw new InvalidTaskException(
                        "broadcast", "cannot be combined with dependsOn or targetWorker");
            }
        }
    }

    /**
     * Whether both describe the same task. Both sides take {@code a}'s format version, and drop the
     * submit stamp and the unknown fields, so that an older client's resubmission is not a
     * conflict.
     */
    static boolean sameTask(TaskSpec a, TaskSpec b) {
        return unstamped(a.formatVersion(), a).equals(unstamped(a.formatVersion(), b));
    }

    private static TaskSpec unstamped(int formatVersion, TaskSpec s) {
        return s.restamped(formatVersion, 0, 0, s.submittedBy(), null);
    }

    /**
     * Nesting depth of a JSON value (a scalar is 0), without recursion, so a hostile payload cannot
     * overflow the stack.
     */
    private static int depth(JsonNode root) {
        int max = 0;
        ArrayDeque<Map.Entry<JsonNode, Integer>> stack = new ArrayDeque<>();
        stack.push(Map.entry(root, 0));
        while (!stack.isEmpty()) {
            Map.Entry<JsonNode, Integer> e = stack.pop();
            if (e.getKey().isContainerNode()) {
                int d = e.getValue() + 1;
                max = Math.max(max, d);
                if (max > TaskSpec.MAX_PAYLOAD_DEPTH) {
                    return max; // deep enough to refuse: stop before walking the rest
                }
                e.getKey().elements().forEachRemaining(child -> stack.push(Map.entry(child, d)));
            }
        }
        return max;
    }
}
