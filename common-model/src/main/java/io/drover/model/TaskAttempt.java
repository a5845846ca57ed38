package io.drover.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One attempt in a task's history ({@link TaskStatus#attempts()}): who ran it, when, how it ended.
 * Written inside the status writes that happen anyway (claim, commit, retry, hand-back, the
 * leader's recovery), so keeping a history costs no ZooKeeper round trip.
 *
 * @param attempt the attempt number within its series (1-based)
 * @param series 1 for the task's first run, one more for each re-run ({@link TaskStatus#rerun()})
 * @param workerId the worker that claimed it
 * @param startedAtMs when the claim was written (the worker's clock); 0 when nobody knows
 * @param endedAtMs when it ended (the clock of whoever ended it); 0 while it runs
 * @param outcome an {@link Outcome} name; kept as text so that an outcome a newer Drover adds is
 *     carried, not rejected
 * @param error why it failed or was lost, at most {@link #MAX_ERROR_CHARS} characters
 * @param fencingToken the token the handler was given ({@code TaskContext.fencingToken()}); 0 when
 *     nobody knows it (an attempt lost before any write of its own carried it, under an older
 *     worker)
 * @param unknown fields a newer writer added, written back by every rewrite
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskAttempt(
        int attempt,
        int series,
        String workerId,
        long startedAtMs,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long endedAtMs,
        String outcome,
        String error,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long fencingToken,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknown) {

    /**
     * Error text kept per attempt: 16 of them with the longest errors stay a few KB (the current
     * error, in {@link TaskStatus#error()}, keeps up to 2,000).
     */
    public static final int MAX_ERROR_CHARS = 256;

    /** How an attempt ended. */
    public enum Outcome {
        /** Claimed and not ended yet. */
        RUNNING,
        SUCCEEDED,
        /** The handler failed (retried or not: the task's state says which). */
        FAILED,
        CANCELLED,
        /** The leader found its worker or claim gone and ended it: it counts as an attempt. */
        LOST,
        /** The worker stopped and gave it back: it does not count as an attempt. */
        HANDED_BACK
    }

    public TaskAttempt {
        unknown = Unknown.copy(unknown);
    }

    static TaskAttempt started(int attempt, int series, String workerId, long nowMs) {
        return new TaskAttempt(
                attempt, series, workerId, nowMs, 0, Outcome.RUNNING.name(), null, 0, null);
    }

    /** This attempt, ended: {@code token} 0 keeps the one it has. */
    TaskAttempt ended(Outcome how, String why, long token, long nowMs) {
        return new TaskAttempt(
                attempt,
                series,
                workerId,
                startedAtMs,
                nowMs,
                how.name(),
                clip(why),
                token != 0 ? token : fencingToken,
                unknown);
    }

    TaskAttempt withToken(long token) {
        return new TaskAttempt(
                attempt, series, workerId, startedAtMs, endedAtMs, outcome, error, token, unknown);
    }

    /** Whether this is the still running attempt {@code attempt} of {@code series} on a worker. */
    boolean isRunning(int attempt, int series, String workerId) {
        return Outcome.RUNNING.name().equals(outcome)
                && this.attempt == attempt
                && this.series == series
                && workerId != null
                && workerId.equals(this.workerId);
    }

    static String clip(String s) {
        return s == null || s.length() <= MAX_ERROR_CHARS
                ? s
                : s.substring(0, MAX_ERROR_CHARS - 3) + "...";
    }
}
