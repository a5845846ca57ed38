package io.drover.coordinator.internal;

import io.drover.model.PendingEntry;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.protocol.PolicyTransitions;
import io.drover.protocol.ZooKeeperCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails the due pending tasks of types whose circuit breaker is OPEN with {@code whenOpen
 * FAIL_FAST}: at the pass after the breaker opens, and each task submitted (or due after a backoff
 * or delay) while it stays open, at the pass after it reaches the index; the submit path reads
 * nothing more. Each in one fenced multi ({@link PolicyTransitions#failPending}). A write that
 * ZooKeeper rejects (a cancel or another writer got there first) has the entry audited, like a
 * rejected assignment. Leader thread only.
 */
final class FailFast {
    private static final Logger LOG = LoggerFactory.getLogger(FailFast.class);

    private final LeaderContext ctx;
    private final PendingIndex pending;
    private final PendingAudit audit;
    private final PolicyTransitions transitions;

    FailFast(LeaderContext ctx, PendingIndex pending, PendingAudit audit) {
        this.ctx = ctx;
        this.pending = pending;
        this.audit = audit;
        this.transitions = new PolicyTransitions(ctx.client(), ctx.paths());
    }

    /** The error a task failed fast carries: names the type, the breaker and its failure rate. */
    static String why(String type, double failureRate) {
        return "circuit breaker of type "
                + type
                + " is open (failure rate "
                + Math.round(failureRate * 100) / 100.0
                + "); failing fast";
    }

    /**
     * Takes the due entries of {@code types} (type → the failure rate that opened its breaker) out
     * of the index and fails them.
     */
    void pass(Map<String, Double> types, long nowMs) {
        if (types.isEmpty()) {
            return;
        }
        List<PendingEntry> doomed = new ArrayList<>();
        for (PendingIndex.Shape shape : pending.shapes()) {
            if (types.containsKey(shape.type())) {
                pending.entries(shape).forEachRemaining(doomed::add);
            }
        }
        for (PendingEntry entry : doomed) {
            pending.remove(entry.taskId(), entry.key());
            fail(entry, why(entry.type(), types.get(entry.type())), nowMs);
        }
    }

    private void fail(PendingEntry entry, String why, long nowMs) {
        TaskStatus end = PolicyTransitions.failedFast(entry.status(), why, nowMs);
        String path = ctx.paths().pending(entry);
        try {
            ctx.writer()
                    .submit(transitions.failPending(entry, end))
                    .whenCompleteAsync(
                            (r, e) -> {
                                if (e == null) {
                                    LOG.info("task {}: {}", entry.taskId(), why);
                                    ctx.ended().observed(entry.taskId(), TaskState.FAILED);
                                    ctx.events().taskEnded(end);
                                } else if (!ctx.writer().lost()) {
                                    LOG.debug(
                                            "failing task {} fast raced ({}); auditing its entry",
                                            entry.taskId(),
                                            ZooKeeperCalls.unwrap(e).toString());
                                    audit.recheck(path, entry.taskId());
                                }
                            },
                            ctx.executor());
        } catch (Exception e) {
            LOG.warn("cannot build the fail-fast of task {}: {}", entry.taskId(), e.toString());
            audit.recheck(path, entry.taskId());
        }
    }
}
