package io.drover.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The immutable description of a task, stored once at {@code tasks/<bucket>/<id>}.
 *
 * @param formatVersion the JSON format version ({@code v}); readers ignore fields they do not know
 * @param id unique task id; client-chosen ids make submission idempotent
 * @param type the handler type a worker must announce
 * @param payload handler input, any JSON value (may be null)
 * @param priority higher dispatches first; FIFO within a priority
 * @param maxAttempts attempts (including worker crashes) before the task fails for good
 * @param requiredLabels labels a worker must carry, all of them, with equal values
 * @param submittedAtMs wall-clock submit time, set by the store when left at 0
 * @param retry backoff between attempts; null means {@link RetryPolicy#DEFAULT}
 * @param timeoutMs execution timeout of one attempt; 0 for none
 * @param notBeforeMs not dispatched before this wall-clock time; 0 for at once
 * @param idempotencyKey when set, the id is derived from it, so the same key always names the same
 *     task
 * @param submitSeq the submitter's sequence number, set by the store with {@code submittedAtMs}:
 *     tasks submitted in the same millisecond dispatch in submission order (0 from older writers)
 * @param submittedBy who submitted it, when it came through the HTTP API with a token or a client
 *     certificate (the name the principals file gives it); null otherwise
 * @param dependsOn ids of the tasks this one waits for: it stays WAITING until they all succeed
 *     (see {@code docs/workflows.md}); empty for none
 * @param ifDependencyFails what happens when a task it depends on fails or is cancelled; null means
 *     {@link IfDependencyFails#CANCEL}
 * @param graphId the graph it was submitted in, or null
 * @param broadcast set on a broadcast task: it runs once on every live worker that handles its type
 *     and labels, and gathers their responses; null for an ordinary task
 * @param parentId the broadcast task a response task belongs to, or null
 * @param targetWorker the only worker this task may run on (a broadcast response), or null for any
 * @param scheduleId the schedule that fired this task, or null
 * @param unknown fields a newer writer added that this version does not know: kept, and written
 *     back by every rewrite, so a rolling upgrade loses nothing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskSpec(
        @JsonProperty("v") int formatVersion,
        String id,
        String type,
        JsonNode payload,
        int priority,
        int maxAttempts,
        Map<String, String> requiredLabels,
        long submittedAtMs,
        RetryPolicy retry,
        long timeoutMs,
        long notBeforeMs,
        String idempotencyKey,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long submitSeq,
        @JsonInclude(JsonInclude.Include.NON_NULL) String submittedBy,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> dependsOn,
        IfDependencyFails ifDependencyFails,
        String graphId,
        Broadcast broadcast,
        String parentId,
        String targetWorker,
        String scheduleId,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknown) {

    public static final int FORMAT_VERSION = 1;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int MAX_ATTEMPTS = 1_000;
    public static final int MIN_PRIORITY = -1_000_000;
    public static final int MAX_PRIORITY = 1_000_000;
    public static final long MAX_TIMEOUT_MS = 7L * 24 * 3_600_000;

    /**
     * How far after its submission a task may be scheduled ({@code notBeforeMs}): a task waiting
     * longer would hold its znodes, and a place under the live-task cap, for that long.
     */
    public static final long MAX_SCHEDULE_AHEAD_MS = 366L * 24 * 3_600_000;

    /**
     * Deepest payload nesting accepted; the stored records wrap the payload a few levels deeper
     * still.
     */
    public static final int MAX_PAYLOAD_DEPTH = 48;

    /** Most tasks one task may depend on (a fan-in of a thousand). */
    public static final int MAX_DEPENDS_ON = 1_000;

    /** What a dependent does when a task it depends on fails or is cancelled. */
    public enum IfDependencyFails {
        /** It is cancelled, with a reason that names the dependency (the default). */
        CANCEL,
        /** It runs anyway, once every dependency has ended. */
        RUN
    }

    public TaskSpec {
        requiredLabels =
                requiredLabels == null ? Map.of() : Map.copyOf(new TreeMap<>(requiredLabels));
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        if (maxAttempts == 0) {
            maxAttempts = DEFAULT_MAX_ATTEMPTS;
        }
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        unknown = Unknown.copy(unknown);
    }

    /** Starts a spec for a handler type, with a random id, priority 0 and the default attempts. */
    public static TaskSpecBuilder builder(String type) {
        return new TaskSpecBuilder(type);
    }

    /** The retry policy in force (the default when none was given). */
    public RetryPolicy retryPolicy() {
        return retry == null ? RetryPolicy.DEFAULT : retry;
    }

    /**
     * True when both describe the same task: equal in everything but the submit stamp and the
     * fields only a newer writer knows (so a resubmission by an older client is not a conflict).
     */
    public boolean sameTask(TaskSpec other) {
        return TaskSpecRules.sameTask(this, other);
    }

    /**
     * The same spec recorded as submitted by {@code principal} (the API sets it from the caller's
     * token or certificate; caps per principal count it).
     */
    public TaskSpec withSubmittedBy(String principal) {
        return restamped(formatVersion, submittedAtMs, submitSeq, principal, unknown);
    }

    /** The same spec stamped with a submit time (and no submit sequence yet). */
    public TaskSpec withSubmittedAtMs(long timeMs) {
        return withSubmitStamp(timeMs, 0);
    }

    /** The same spec stamped with a submit time and the submitter's sequence number within it. */
    public TaskSpec withSubmitStamp(long timeMs, long seq) {
        return restamped(formatVersion, timeMs, seq, submittedBy, unknown);
    }

    /** The one copy that changes only what the store stamps (and the format it is compared in). */
    TaskSpec restamped(
            int version, long atMs, long seq, String by, Map<String, JsonNode> unknownFields) {
        return new TaskSpec(
                version,
                id,
                type,
                payload,
                priority,
                maxAttempts,
                requiredLabels,
                atMs,
                retry,
                timeoutMs,
                notBeforeMs,
                idempotencyKey,
                seq,
                by,
                dependsOn,
                ifDependencyFails,
                graphId,
                broadcast,
                parentId,
                targetWorker,
                scheduleId,
                unknownFields);
    }

    /** The task id an idempotency key stands for: {@code key-} and 32 hex digits of its SHA-256. */
    public static String idForKey(String idempotencyKey) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(idempotencyKey.getBytes(StandardCharsets.UTF_8));
            return "key-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Checks every field and throws {@link InvalidTaskException} naming the first bad one. */
    public TaskSpec validate() {
        TaskSpecRules.validate(this);
        return this;
    }
}
