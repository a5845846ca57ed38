package io.drover.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fluent construction of a {@link TaskSpec} ({@link TaskSpec#builder(String)}); {@link #build()}
 * validates. Not thread-safe.
 */
public final class TaskSpecBuilder {
    private String id;
    private final String type;
    private JsonNode payload;
    private int priority;
    private int maxAttempts = TaskSpec.DEFAULT_MAX_ATTEMPTS;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private RetryPolicy retry;
    private long timeoutMs;
    private long notBeforeMs;
    private String idempotencyKey;
    private final List<String> dependsOn = new ArrayList<>();
    private TaskSpec.IfDependencyFails ifDependencyFails;
    private String graphId;
    private Broadcast broadcast;
    private String parentId;
    private String targetWorker;
    private String scheduleId;

    TaskSpecBuilder(String type) {
        this.type = type;
    }

    public TaskSpecBuilder id(String id) {
        this.id = id;
        return this;
    }

    public TaskSpecBuilder payload(JsonNode payload) {
        this.payload = payload;
        return this;
    }

    /** Parses JSON text; throws {@link InvalidTaskException} on malformed JSON. */
    public TaskSpecBuilder payloadJson(String json) {
        this.payload = DroverJson.parsePayload(json);
        return this;
    }

    public TaskSpecBuilder priority(int priority) {
        this.priority = priority;
        return this;
    }

    public TaskSpecBuilder maxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    public TaskSpecBuilder requireLabel(String key, String value) {
        labels.put(key, value);
        return this;
    }

    public TaskSpecBuilder retry(RetryPolicy retry) {
        this.retry = retry;
        return this;
    }

    public TaskSpecBuilder timeoutMs(long timeoutMs) {
        this.timeoutMs = timeoutMs;
        return this;
    }

    public TaskSpecBuilder notBeforeMs(long notBeforeMs) {
        this.notBeforeMs = notBeforeMs;
        return this;
    }

    /** Names the task by this key: submitting the same key again returns the first task. */
    public TaskSpecBuilder idempotencyKey(String key) {
        this.idempotencyKey = key;
        return this;
    }

    /** Makes the task wait until these tasks have all succeeded. */
    public TaskSpecBuilder dependsOn(String... taskIds) {
        dependsOn.addAll(List.of(taskIds));
        return this;
    }

    /** As {@link #dependsOn(String...)}. */
    public TaskSpecBuilder dependsOn(List<String> taskIds) {
        dependsOn.addAll(taskIds);
        return this;
    }

    public TaskSpecBuilder ifDependencyFails(TaskSpec.IfDependencyFails rule) {
        this.ifDependencyFails = rule;
        return this;
    }

    public TaskSpecBuilder graphId(String graphId) {
        this.graphId = graphId;
        return this;
    }

    /** Makes it a broadcast: it runs once on every live worker that handles its type and labels. */
    public TaskSpecBuilder broadcast(Broadcast broadcast) {
        this.broadcast = broadcast;
        return this;
    }

    public TaskSpecBuilder parentId(String parentId) {
        this.parentId = parentId;
        return this;
    }

    public TaskSpecBuilder targetWorker(String workerId) {
        this.targetWorker = workerId;
        return this;
    }

    public TaskSpecBuilder scheduleId(String scheduleId) {
        this.scheduleId = scheduleId;
        return this;
    }

    public TaskSpec build() {
        String taskId = id;
        if (taskId == null) {
            taskId =
                    idempotencyKey != null
                            ? TaskSpec.idForKey(idempotencyKey)
                            : UUID.randomUUID().toString();
        }
        return new TaskSpec(
                        TaskSpec.FORMAT_VERSION,
                        taskId,
                        type,
                        payload,
                        priority,
                        maxAttempts,
                        labels,
                        0L,
                        retry,
                        timeoutMs,
                        notBeforeMs,
                        idempotencyKey,
                        0,
                        null,
                        dependsOn,
                        ifDependencyFails,
                        graphId,
                        broadcast,
                        parentId,
                        targetWorker,
                        scheduleId,
                        null)
                .validate();
    }
}
