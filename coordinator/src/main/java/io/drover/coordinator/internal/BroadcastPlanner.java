package io.drover.coordinator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.Broadcast;
import io.drover.model.BroadcastGathering;
import io.drover.model.BroadcastOutcome;
import io.drover.model.DroverJson;
import io.drover.model.TaskSpec;
import io.drover.model.TaskSpecBuilder;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decisions of a broadcast, as pure functions: which workers it reaches, the response each one
 * gets, when the gathering ends, and how (see {@code docs/broadcast.md}). No I/O, no clock of its
 * own; thread-safe.
 */
final class BroadcastPlanner {
    private BroadcastPlanner() {}

    /**
     * The workers a broadcast reaches: admitted (a valid announcement), ACTIVE (not draining), and
     * announcing its type with its labels; sorted by id. A worker that joins later is not in it.
     */
    static List<String> members(
            String type, Map<String, String> labels, Collection<WorkerInfo> ws) {
        List<String> out = new ArrayList<>();
        for (WorkerInfo w : ws) {
            if (w.state() == WorkerState.ACTIVE && w.supports(type, labels)) {
                out.add(w.id());
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Why a broadcast cannot fan out to {@code members}, or null when it can: it reached nobody, or
     * more workers than one broadcast may reach.
     */
    static String refusal(String type, Map<String, String> labels, List<String> members) {
        if (members.isEmpty()) {
            return "no live ACTIVE worker handles type "
                    + type
                    + (labels.isEmpty() ? "" : " with labels " + labels)
                    + ", so the broadcast reached nobody";
        }
        if (members.size() > BroadcastGathering.MAX_WORKERS) {
            return members.size()
                    + " workers handle type "
                    + type
                    + "; a broadcast reaches at most "
                    + BroadcastGathering.MAX_WORKERS
                    + " (narrow it with labels)";
        }
        return null;
    }

    /** The gathering of {@code parent}'s series {@code series}, fanned out now. */
    static BroadcastGathering gathering(
            TaskSpec parent, int series, List<String> members, long nowMs) {
        List<BroadcastGathering.Member> responses = new ArrayList<>(members.size());
        for (String w : members) {
            responses.add(
                    new BroadcastGathering.Member(
                            w, BroadcastGathering.responseId(parent.id(), series, w)));
        }
        Broadcast b = parent.broadcast();
        return new BroadcastGathering(
                BroadcastGathering.FORMAT_VERSION,
                parent.id(),
                series,
                b.success(),
                nowMs,
                nowMs + b.gatherMs(),
                responses);
    }

    /**
     * The response task of one worker: the broadcast's type, payload, labels, priority, attempts,
     * retry policy and timeout, for that worker alone, submitted now by whoever submitted the
     * broadcast.
     */
    static TaskSpec response(TaskSpec parent, BroadcastGathering.Member m, long nowMs) {
        TaskSpecBuilder b =
                TaskSpec.builder(parent.type())
                        .id(m.taskId())
                        .payload(parent.payload())
                        .priority(parent.priority())
                        .maxAttempts(parent.maxAttempts())
                        .retry(parent.retry())
                        .timeoutMs(parent.timeoutMs())
                        .parentId(parent.id())
                        .targetWorker(m.workerId());
        parent.requiredLabels().forEach(b::requireLabel);
        TaskSpec spec = b.build().withSubmitStamp(nowMs, 0);
        return parent.submittedBy() == null ? spec : spec.withSubmittedBy(parent.submittedBy());
    }

    /** True when the gathering may end: every response has ended, or the deadline has come. */
    static boolean due(BroadcastGathering g, Set<String> ended, long nowMs) {
        return nowMs >= g.deadlineMs() || ended.size() >= g.responses().size();
    }

    /**
     * The outcome from the responses' statuses as read now ({@code null}: no such task). A response
     * not ended counts as failed: it did not end by the deadline, or the broadcast was cancelled;
     * either way it is cancelled ({@link #unfinished}). Results fill the outcome in worker order up
     * to {@link BroadcastOutcome#MAX_RESULT_BYTES}; past that they are omitted.
     */
    static BroadcastOutcome outcome(
            BroadcastGathering g, Map<String, TaskStatus> statuses, boolean cancelled) {
        List<BroadcastOutcome.Response> out = new ArrayList<>(g.responses().size());
        int succeeded = 0;
        long resultBytes = 0;
        for (BroadcastGathering.Member m : g.responses()) {
            TaskStatus s = statuses.get(m.taskId());
            if (s == null) {
                out.add(failed(m, TaskState.FAILED, 0, "its response task does not exist"));
            } else if (!s.state().isTerminal()) {
                out.add(
                        failed(
                                m,
                                TaskState.CANCELLED,
                                s.attempt(),
                                (cancelled
                                                ? "cancelled with the broadcast"
                                                : "not ended by the deadline")
                                        + " (it was "
                                        + s.state()
                                        + ")"));
            } else {
                JsonNode result = s.state() == TaskState.SUCCEEDED ? s.result() : null;
                boolean omitted = false;
                if (result != null) {
                    int size = DroverJson.encode(result).length;
                    omitted = resultBytes + size > BroadcastOutcome.MAX_RESULT_BYTES;
                    resultBytes += omitted ? 0 : size;
                }
                out.add(
                        new BroadcastOutcome.Response(
                                m.workerId(),
                                m.taskId(),
                                s.state(),
                                s.attempt(),
                                omitted ? null : result,
                                s.state() == TaskState.SUCCEEDED ? null : clip(s.error()),
                                omitted));
                succeeded += s.state() == TaskState.SUCCEEDED ? 1 : 0;
            }
        }
        int n = g.responses().size();
        return new BroadcastOutcome(g.success(), n, succeeded, g.success().needed(n), out);
    }

    /** The responses to cancel as the broadcast ends: those not ended ({@code null}: none such). */
    static List<String> unfinished(BroadcastGathering g, Map<String, TaskStatus> statuses) {
        List<String> out = new ArrayList<>();
        for (BroadcastGathering.Member m : g.responses()) {
            TaskStatus s = statuses.get(m.taskId());
            if (s != null && !s.state().isTerminal()) {
                out.add(m.taskId());
            }
        }
        return out;
    }

    /**
     * The broadcast's end: CANCELLED when it was cancelled, else SUCCEEDED or FAILED by its policy;
     * the outcome is its result either way.
     */
    static TaskStatus end(
            TaskStatus waiting, BroadcastOutcome outcome, boolean cancelled, long nowMs) {
        TaskState state =
                cancelled
                        ? TaskState.CANCELLED
                        : outcome.met() ? TaskState.SUCCEEDED : TaskState.FAILED;
        String error = cancelled ? "cancelled" : outcome.met() ? null : outcome.summary();
        return waiting.finished(state, waiting.fencingToken(), outcome.toJson(), error, nowMs);
    }

    /** A broadcast that could not fan out (see {@link #refusal}) fails at once. */
    static TaskStatus refused(TaskStatus pending, Broadcast.Success success, String why, long now) {
        BroadcastOutcome none = new BroadcastOutcome(success, 0, 0, success.needed(0), List.of());
        return pending.finished(TaskState.FAILED, pending.fencingToken(), none.toJson(), why, now);
    }

    /** A response whose worker is gone before it ran: it fails for good, naming the worker. */
    static TaskStatus orphaned(TaskStatus pending, String workerId, long nowMs) {
        return pending.finished(
                TaskState.FAILED,
                pending.fencingToken(),
                null,
                "worker "
                        + workerId
                        + " is gone; a broadcast response runs on its own worker or not at all",
                nowMs);
    }

    private static BroadcastOutcome.Response failed(
            BroadcastGathering.Member m, TaskState state, int attempt, String why) {
        return new BroadcastOutcome.Response(
                m.workerId(), m.taskId(), state, attempt, null, why, false);
    }

    private static String clip(String error) {
        if (error == null || error.length() <= BroadcastOutcome.MAX_ERROR_CHARS) {
            return error;
        }
        return error.substring(0, BroadcastOutcome.MAX_ERROR_CHARS - 3) + "...";
    }
}
