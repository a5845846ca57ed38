package io.drover.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of a task's attempt history ({@link TaskStatus#attempts()}): at most {@link #MAX_KEPT}
 * entries, the oldest dropped first; an attempt is appended when it is claimed and ended in place.
 *
 * <p>The history is for people: no decision of the protocol reads it. So a bad history never makes
 * a status unreadable: entries that are not objects, or break a rule (numbers out of range, a bad
 * worker id, an outcome that is not an upper-case word), are dropped when the status is built
 * (decoding included), over-long errors are clipped, and the rest is kept. Pure functions.
 */
final class AttemptHistory {
    /** Attempts kept per task; with errors clipped the encoded status grows by a few KB at most. */
    static final int MAX_KEPT = 16;

    private static final Pattern OUTCOME = Pattern.compile("[A-Z][A-Z_]{0,31}");

    private AttemptHistory() {}

    /** The entries that keep the rules, the last {@link #MAX_KEPT}, immutable. */
    static List<TaskAttempt> sane(List<TaskAttempt> history) {
        if (history == null || history.isEmpty()) {
            return List.of();
        }
        List<TaskAttempt> kept = new ArrayList<>(history.size());
        for (TaskAttempt a : history) {
            if (a != null && keepsTheRules(a)) {
                kept.add(
                        a.error() == null || a.error().length() <= TaskAttempt.MAX_ERROR_CHARS
                                ? a
                                : new TaskAttempt(
                                        a.attempt(),
                                        a.series(),
                                        a.workerId(),
                                        a.startedAtMs(),
                                        a.endedAtMs(),
                                        a.outcome(),
                                        TaskAttempt.clip(a.error()),
                                        a.fencingToken(),
                                        a.unknown()));
            }
        }
        return List.copyOf(kept.subList(Math.max(0, kept.size() - MAX_KEPT), kept.size()));
    }

    private static boolean keepsTheRules(TaskAttempt a) {
        if (a.attempt() < 1
                || a.attempt() > TaskSpec.MAX_ATTEMPTS
                || a.series() < 1
                || a.startedAtMs() < 0
                || a.endedAtMs() < 0
                || a.fencingToken() < 0
                || a.outcome() == null
                || !OUTCOME.matcher(a.outcome()).matches()) {
            return false;
        }
        try {
            Names.checkId("workerId", a.workerId());
            return true;
        } catch (InvalidTaskException e) {
            return false;
        }
    }

    /** A claimed attempt, appended. */
    static List<TaskAttempt> started(
            List<TaskAttempt> history, int attempt, int series, String workerId, long nowMs) {
        return appended(history, TaskAttempt.started(attempt, series, workerId, nowMs));
    }

    /**
     * The current attempt ended: its running entry closed in place, or, when there is none (an
     * attempt nobody recorded: claimed by an older worker, or never seen running), a closed entry
     * appended.
     */
    static List<TaskAttempt> ended(
            List<TaskAttempt> history,
            TaskStatus of,
            TaskAttempt.Outcome how,
            String why,
            long token,
            long nowMs) {
        int last = history.size() - 1;
        if (last >= 0 && history.get(last).isRunning(of.attempt(), of.series(), of.workerId())) {
            List<TaskAttempt> out = new ArrayList<>(history);
            out.set(last, history.get(last).ended(how, why, token, nowMs));
            return out;
        }
        TaskAttempt unrecorded =
                new TaskAttempt(
                        of.attempt(),
                        of.series(),
                        of.workerId(),
                        of.startedAtMs(),
                        0,
                        null,
                        null,
                        0,
                        null);
        return appended(history, unrecorded.ended(how, why, token, nowMs));
    }

    /** The fencing token learnt once the claim landed, on the running entry that lacks it. */
    static List<TaskAttempt> withToken(List<TaskAttempt> history, TaskStatus of, long token) {
        int last = history.size() - 1;
        if (last < 0
                || token <= 0
                || history.get(last).fencingToken() != 0
                || !history.get(last).isRunning(of.attempt(), of.series(), of.workerId())) {
            return history;
        }
        List<TaskAttempt> out = new ArrayList<>(history);
        out.set(last, history.get(last).withToken(token));
        return out;
    }

    private static List<TaskAttempt> appended(List<TaskAttempt> history, TaskAttempt next) {
        List<TaskAttempt> out = new ArrayList<>(history.size() + 1);
        out.addAll(history.subList(Math.max(0, history.size() - MAX_KEPT + 1), history.size()));
        out.add(next);
        return out;
    }

    /**
     * Reads {@code attempts} entry by entry: one that is not an attempt object is skipped, and a
     * value that is not an array reads as no history, instead of failing the whole status.
     */
    static final class Lenient extends StdDeserializer<List<TaskAttempt>> {
        private static final long serialVersionUID = 1L;

        Lenient() {
            super(List.class);
        }

        @Override
        public List<TaskAttempt> deserialize(JsonParser p, DeserializationContext ctxt)
                throws IOException {
            JsonNode tree = ctxt.readTree(p);
            List<TaskAttempt> out = new ArrayList<>();
            if (tree == null || !tree.isArray()) {
                return out;
            }
            for (JsonNode entry : tree) {
                if (!entry.isObject()) {
                    continue;
                }
                try {
                    out.add(DroverJson.mapper().treeToValue(entry, TaskAttempt.class));
                } catch (IOException | RuntimeException unreadable) {
                    // skipped: see the class comment
                }
            }
            return out;
        }
    }
}
