package io.drover.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The mutable status of a task at {@code status/<bucket>/<id>}, changed only by versioned
 * compare-and-set. Every writer rewrites it whole from what it carries, so no write needs a read.
 *
 * @param attempt 1-based number of the current attempt
 * @param workerId the worker of the current attempt, null while pending
 * @param epoch leader epoch of the assignment, 0 before the first assignment
 * @param fencingToken the zxid of the claim that started the current attempt; grows across attempts
 * @param notBeforeMs while PENDING: not dispatched before this time (backoff or delayed start); 0 =
 *     now
 * @param result the handler's result once SUCCEEDED
 * @param error why the last attempt failed, if it did
 * @param progress what the running handler last reported, if anything
 * @param submitSeq the submitter's sequence number within {@code submittedAtMs} (see {@link
 *     TaskSpec#submitSeq()})
 * @param submittedBy the spec's {@code submittedBy}, carried so that the leader can count live
 *     tasks per principal
 * @param specBytes the encoded size of the spec (0 from writers before it was recorded)
 * @param unknown fields a newer writer added that this version does not know: kept, and written
 *     back by every rewrite, so a rolling upgrade loses nothing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskStatus(
        @JsonProperty("v") int formatVersion,
        String taskId,
        String type,
        TaskState state,
        int attempt,
        int maxAttempts,
        String workerId,
        long epoch,
        long fencingToken,
        long submittedAtMs,
        long assignedAtMs,
        long startedAtMs,
        long finishedAtMs,
        JsonNode result,
        String error,
        long notBeforeMs,
        Progress progress,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long submitSeq,
        @JsonInclude(JsonInclude.Include.NON_NULL) String submittedBy,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long specBytes,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknown) {

    public static final int FORMAT_VERSION = 1;

    public TaskStatus {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        unknown = Unknown.copy(unknown);
    }

    /** The status a fresh submission starts with. */
    public static TaskStatus pending(TaskSpec spec) {
        return pending(spec, 0);
    }

    /**
     * The same, recording the encoded size of the spec: the leader sums it for the cap on live
     * bytes.
     */
    public static TaskStatus pending(TaskSpec spec, long specBytes) {
        return new TaskStatus(
                FORMAT_VERSION,
                spec.id(),
                spec.type(),
                TaskState.PENDING,
                1,
                spec.maxAttempts(),
                null,
                0,
                0,
                spec.submittedAtMs(),
                0,
                0,
                0,
                null,
                null,
                spec.notBeforeMs(),
                null,
                spec.submitSeq(),
                spec.submittedBy(),
                specBytes,
                null);
    }

    public TaskStatus assigned(String worker, long leaderEpoch, long nowMs) {
        return new TaskStatus(
                formatVersion,
                taskId,
                type,
                TaskState.ASSIGNED,
                attempt,
                maxAttempts,
                worker,
                leaderEpoch,
                fencingToken,
                submittedAtMs,
                nowMs,
                0,
                0,
                null,
                error,
                0,
                null,
                submitSeq,
                submittedBy,
                specBytes,
                unknown);
    }

    public TaskStatus running(long nowMs) {
        return new TaskStatus(
                formatVersion,
                taskId,
                type,
                TaskState.RUNNING,
                attempt,
                maxAttempts,
                workerId,
                epoch,
                fencingToken,
                submittedAtMs,
                assignedAtMs,
                nowMs,
                0,
                null,
                error,
                0,
                null,
                submitSeq,
                submittedBy,
                specBytes,
                unknown);
    }

    public TaskStatus withProgress(Progress p) {
        return new TaskStatus(
                formatVersion,
                taskId,
                type,
                state,
                attempt,
                maxAttempts,
                workerId,
                epoch,
                fencingToken,
                submittedAtMs,
                assignedAtMs,
                startedAtMs,
                finishedAtMs,
                result,
                error,
                notBeforeMs,
                p,
                submitSeq,
                submittedBy,
                specBytes,
                unknown);
    }

    public TaskStatus finished(
            TaskState terminal, long token, JsonNode value, String failure, long nowMs) {
        return new TaskStatus(
                formatVersion,
                taskId,
                type,
                terminal,
                attempt,
                maxAttempts,
                workerId,
                epoch,
                token,
                submittedAtMs,
                assignedAtMs,
                startedAtMs,
                nowMs,
                value,
                failure,
                0,
                progress,
                submitSeq,
                submittedBy,
                specBytes,
                unknown);
    }

    /**
     * Back to PENDING for attempt {@code nextAttempt}, not before {@code notBefore}, keeping why
     * the last one ended.
     */
    public TaskStatus requeued(int nextAttempt, String why, long notBefore) {
        return new TaskStatus(
                formatVersion,
                taskId,
                type,
                TaskState.PENDING,
                nextAttempt,
                maxAttempts,
                null,
                epoch,
                fencingToken,
                submittedAtMs,
                0,
                0,
                0,
                null,
                why,
                notBefore,
                null,
                submitSeq,
                submittedBy,
                specBytes,
                unknown);
    }
}
