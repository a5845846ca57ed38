package io.drover.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
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
 * @param attempts the last 16 attempts, oldest first, the current one last once claimed (absent
 *     from writers before it was recorded; see {@link TaskAttempt})
 * @param reruns how many times the task was re-run after it ended ({@link #rerun()})
 * @param runAs the type whose handler runs the current attempt when not the task's own: the leader
 *     sent it to the fallback of its type's open circuit breaker ({@link #runningAs}); else null
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
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
                @JsonDeserialize(using = AttemptHistory.Lenient.class)
                List<TaskAttempt> attempts,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int reruns,
        @JsonInclude(JsonInclude.Include.NON_NULL) String runAs,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknown) {

    public static final int FORMAT_VERSION = 1;

    public TaskStatus {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        attempts = AttemptHistory.sane(attempts);
        reruns = Math.max(0, reruns);
        unknown = Unknown.copy(unknown);
    }

    /** The current series of attempts: 1, then one more per re-run. */
    public int series() {
        return reruns + 1;
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
                null,
                0,
                null,
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
                attempts,
                reruns,
                runAs,
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
                AttemptHistory.started(attempts, attempt, series(), workerId, nowMs),
                reruns,
                runAs,
                unknown);
    }

    public TaskStatus withProgress(Progress p) {
        return copy(p, attempts, reruns, runAs);
    }

    private TaskStatus copy(Progress p, List<TaskAttempt> history, int runs, String as) {
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
                history,
                runs,
                as,
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
                attempts,
                reruns,
                runAs,
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
                attempts,
                reruns,
                null,
                unknown);
    }

    /** To be assigned to run as {@code as} (null: its own type); {@link #requeued} drops it. */
    public TaskStatus runningAs(String as) {
        return copy(progress, attempts, reruns, as);
    }

    /**
     * The current attempt ended {@code how}, in the history: its running entry closed (or, if
     * nobody recorded it, a closed entry added). {@code token} 0: the one the entry has.
     */
    public TaskStatus attemptEnded(TaskAttempt.Outcome how, String why, long token, long nowMs) {
        List<TaskAttempt> history = AttemptHistory.ended(attempts, this, how, why, token, nowMs);
        return copy(progress, history, reruns, runAs);
    }

    /** The claim's fencing token, learnt once the claim landed, on the running entry. */
    public TaskStatus withAttemptToken(long token) {
        return copy(progress, AttemptHistory.withToken(attempts, this, token), reruns, runAs);
    }

    /**
     * A FAILED or CANCELLED task run again: PENDING as attempt 1 of a new series, so that {@code
     * maxAttempts} applies afresh; the history and the fencing token go on.
     */
    public TaskStatus rerun() {
        if (state != TaskState.FAILED && state != TaskState.CANCELLED) {
            throw new IllegalStateException("only a FAILED or CANCELLED task runs again");
        }
        TaskStatus again = requeued(1, null, 0);
        return again.copy(null, again.attempts, reruns + 1, null);
    }
}
