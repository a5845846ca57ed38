package io.drover.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The immutable description of a task, stored once at {@code tasks/<bucket>/<id>}.
 *
 * @param formatVersion  the JSON format version ({@code v}); readers ignore fields they do not know
 * @param id             unique task id; client-chosen ids make submission idempotent
 * @param type           the handler type a worker must announce
 * @param payload        handler input, any JSON value (may be null)
 * @param priority       higher dispatches first; FIFO within a priority
 * @param maxAttempts    attempts (including worker crashes) before the task fails for good
 * @param requiredLabels labels a worker must carry, all of them, with equal values
 * @param submittedAtMs  wall-clock submit time, set by the store when left at 0
 */
public record TaskSpec(
        @JsonProperty("v") int formatVersion,
        String id,
        String type,
        JsonNode payload,
        int priority,
        int maxAttempts,
        Map<String, String> requiredLabels,
        long submittedAtMs) {

    public static final int FORMAT_VERSION = 1;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int MIN_PRIORITY = -1_000_000;
    public static final int MAX_PRIORITY = 1_000_000;

    public TaskSpec {
        requiredLabels = requiredLabels == null ? Map.of() : Map.copyOf(new TreeMap<>(requiredLabels));
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        if (maxAttempts == 0) {
            maxAttempts = DEFAULT_MAX_ATTEMPTS;
        }
    }

    /** Starts a spec for a handler type, with a random id, priority 0 and the default attempts. */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    /** The same spec stamped with a submit time. */
    public TaskSpec withSubmittedAtMs(long timeMs) {
        return new TaskSpec(formatVersion, id, type, payload, priority, maxAttempts, requiredLabels, timeMs);
    }

    /** Checks every field and throws {@link InvalidTaskException} naming the first bad one. */
    public TaskSpec validate() {
        Names.checkId("id", id);
        Names.checkName("type", type);
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new InvalidTaskException("priority", "must be between " + MIN_PRIORITY + " and " + MAX_PRIORITY + ", was " + priority);
        }
        if (maxAttempts < 1 || maxAttempts > 1000) {
            throw new InvalidTaskException("maxAttempts", "must be between 1 and 1000, was " + maxAttempts);
        }
        Names.checkLabels("requiredLabels", requiredLabels);
        return this;
    }

    /** Fluent construction; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private String id = UUID.randomUUID().toString();
        private final String type;
        private JsonNode payload;
        private int priority;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private final Map<String, String> labels = new LinkedHashMap<>();

        private Builder(String type) {
            this.type = type;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder payload(JsonNode payload) {
            this.payload = payload;
            return this;
        }

        /** Parses JSON text; throws {@link InvalidTaskException} on malformed JSON. */
        public Builder payloadJson(String json) {
            this.payload = DroverJson.parsePayload(json);
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder requireLabel(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public TaskSpec build() {
            return new TaskSpec(FORMAT_VERSION, id, type, payload, priority, maxAttempts, labels, 0L).validate();
        }
    }
}
