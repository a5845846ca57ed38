package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.Broadcast;
import io.drover.model.InvalidTaskException;
import io.drover.model.RetryPolicy;
import io.drover.model.TaskSpec;
import io.drover.model.TaskSpecBuilder;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/tasks}: only {@code type} is required; a missing field takes the
 * default of {@link TaskSpec}. Unknown fields are rejected, so a typo cannot silently drop a
 * setting.
 *
 * @param id optional client-chosen id; resubmitting the same id with the same spec is a no-op
 * @param labels labels a worker must carry to run the task
 * @param idempotencyKey optional; the id is derived from it (do not give both)
 * @param notBeforeMs optional wall-clock time (epoch ms) before which the task is not dispatched
 * @param broadcast optional: makes the task a broadcast, run once on every live worker that handles
 *     its type and labels, gathering their responses ({@code docs/broadcast.md})
 * @param dependsOn optional ids of tasks this one waits for: it is WAITING until they all succeed
 * @param ifDependencyFails {@code CANCEL} (the default) or {@code RUN}: what happens when a task it
 *     depends on fails or is cancelled
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubmitRequest(
        String id,
        String type,
        JsonNode payload,
        Integer priority,
        Integer maxAttempts,
        Long timeoutMs,
        Map<String, String> labels,
        String idempotencyKey,
        Long notBeforeMs,
        Retry retry,
        Broadcast broadcast,
        List<String> dependsOn,
        TaskSpec.IfDependencyFails ifDependencyFails) {

    /**
     * A request with only the fields every task has (the rest left to their defaults): what the
     * CLI's broadcast and schedule commands build. Null means the default.
     */
    public static SubmitRequest of(
            String type,
            JsonNode payload,
            Integer priority,
            Integer maxAttempts,
            Long timeoutMs,
            Map<String, String> labels) {
        return new SubmitRequest(
                null,
                type,
                payload,
                priority,
                maxAttempts,
                timeoutMs,
                labels == null || labels.isEmpty() ? null : labels,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** The same request as a broadcast. */
    public SubmitRequest asBroadcast(Broadcast b) {
        return copy(id, b);
    }

    /** The same request naming its task {@code id}. */
    public SubmitRequest withId(String id) {
        return copy(id, broadcast);
    }

    private SubmitRequest copy(String id, Broadcast broadcast) {
        return new SubmitRequest(
                id,
                type,
                payload,
                priority,
                maxAttempts,
                timeoutMs,
                labels,
                idempotencyKey,
                notBeforeMs,
                retry,
                broadcast,
                dependsOn,
                ifDependencyFails);
    }

    /**
     * Backoff between attempts; a field left out keeps the default of {@link RetryPolicy#DEFAULT}
     * (1 s initial, 60 s cap, multiplier 2, jitter on).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Retry(
            Long initialBackoffMs, Long maxBackoffMs, Double multiplier, Boolean jitter) {
        RetryPolicy toPolicy() {
            RetryPolicy d = RetryPolicy.DEFAULT;
            return new RetryPolicy(
                            initialBackoffMs != null ? initialBackoffMs : d.initialBackoffMs(),
                            maxBackoffMs != null
                                    ? maxBackoffMs
                                    : Math.max(
                                            d.maxBackoffMs(),
                                            initialBackoffMs != null ? initialBackoffMs : 0),
                            multiplier != null ? multiplier : d.multiplier(),
                            jitter != null ? jitter : d.jitter())
                    .validate();
        }
    }

    /** A request for a type with every other field left to its default. */
    public static SubmitRequest of(String type) {
        return new SubmitRequest(
                null, type, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * The validated spec; throws {@link InvalidTaskException} naming the first bad field (prefixed
     * by {@code fieldPrefix}).
     */
    public TaskSpec toSpec(String fieldPrefix) {
        try {
            if (type == null || type.isEmpty()) {
                throw new InvalidTaskException("type", "is required");
            }
            TaskSpecBuilder b = TaskSpec.builder(type);
            if (id != null) {
                b.id(id);
            }
            if (payload != null && !payload.isNull()) {
                b.payload(payload);
            }
            if (priority != null) {
                b.priority(priority);
            }
            if (maxAttempts != null) {
                if (maxAttempts == 0) {
                    throw new InvalidTaskException(
                            "maxAttempts", "must be between 1 and 1000, was 0");
                }
                b.maxAttempts(maxAttempts);
            }
            if (timeoutMs != null) {
                b.timeoutMs(timeoutMs);
            }
            if (labels != null) {
                labels.forEach(
                        (k, v) -> {
                            if (v == null) {
                                throw new InvalidTaskException(
                                        "labels." + k, "must be a string, was null");
                            }
                            b.requireLabel(k, v);
                        });
            }
            if (idempotencyKey != null) {
                b.idempotencyKey(idempotencyKey);
            }
            if (notBeforeMs != null) {
                b.notBeforeMs(notBeforeMs);
            }
            if (retry != null) {
                b.retry(retry.toPolicy());
            }
            if (broadcast != null) {
                b.broadcast(broadcast);
            }
            if (dependsOn != null) {
                if (dependsOn.contains(null)) {
                    throw new InvalidTaskException("dependsOn", "must hold task ids, held null");
                }
                b.dependsOn(dependsOn);
            }
            b.ifDependencyFails(ifDependencyFails);
            return b.build().validate();
        } catch (InvalidTaskException e) {
            // The spec calls them requiredLabels; this API calls them labels.
            String field =
                    e.field().startsWith("requiredLabels")
                            ? "labels" + e.field().substring("requiredLabels".length())
                            : e.field();
            if (fieldPrefix.isEmpty() && field.equals(e.field())) {
                throw e;
            }
            String problem = e.getMessage().substring(e.field().length() + 2);
            throw new InvalidTaskException(fieldPrefix + field, problem);
        }
    }
}
