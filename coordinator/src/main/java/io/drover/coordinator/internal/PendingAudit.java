package io.drover.coordinator.internal;

import io.drover.model.CorruptZnodeException;
import io.drover.model.PendingEntry;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.ZnodeKind;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperCalls;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks again at a pending entry whose assignment ZooKeeper rejected for a reason of the task's
 * own. A submission, a retry and a hand-back write the entry and the status together, so an entry
 * whose status is missing, not PENDING, or at another version than the entry says can never be
 * assigned: dispatching it again would fail again, as fast as the leader can loop. Such an entry is
 * reported corrupt and left out of the index until it changes; a consistent one goes back in; one
 * whose status claims an end that no genuine transition could have written (the entry would be
 * gone) has that status discarded. Leader thread only.
 */
final class PendingAudit {
    private static final Logger LOG = LoggerFactory.getLogger(PendingAudit.class);

    private final LeaderContext ctx;
    private final Consumer<PendingEntry> consistent;
    private final io.drover.protocol.TaskTransitions transitions;

    PendingAudit(LeaderContext ctx, Consumer<PendingEntry> consistent) {
        this.ctx = ctx;
        this.transitions = new io.drover.protocol.TaskTransitions(ctx.client(), ctx.paths());
        this.consistent = consistent;
    }

    void recheck(String pendingPath, String taskId) {
        CompletableFuture<Optional<Versioned<byte[]>>> entry = ctx.store().read(pendingPath);
        CompletableFuture<Optional<Versioned<byte[]>>> status =
                ctx.store().read(ctx.paths().status(taskId));
        CompletableFuture.allOf(entry, status)
                .whenCompleteAsync(
                        (v, e) -> {
                            if (e != null) {
                                LOG.debug(
                                        "cannot re-read pending entry {}: {}",
                                        pendingPath,
                                        ZooKeeperCalls.unwrap(e).toString());
                                // a connection problem: the term ends, and the next one lists
                                // everything again
                                return;
                            }
                            entry.join()
                                    .ifPresent(
                                            raw ->
                                                    ctx.corrupt()
                                                            .guard(
                                                                    pendingPath,
                                                                    raw.version(),
                                                                    () ->
                                                                            judge(
                                                                                    pendingPath,
                                                                                    raw,
                                                                                    status
                                                                                            .join())));
                        },
                        ctx.executor());
    }

    private void judge(
            String pendingPath, Versioned<byte[]> raw, Optional<Versioned<byte[]>> rawStatus) {
        PendingEntry entry = Znodes.pending(pendingPath, raw.value());
        String problem;
        if (rawStatus.isEmpty()) {
            problem = "task " + entry.taskId() + " has no status";
        } else {
            TaskStatus s =
                    Znodes.status(ctx.paths().status(entry.taskId()), rawStatus.get().value());
            int version = rawStatus.get().version();
            if (s.state() == TaskState.PENDING && version == entry.statusVersion()) {
                consistent.accept(entry);
                return;
            }
            if (s.state().isTerminal()) {
                restore(entry, version, s);
                return;
            }
            problem =
                    "its task's status is "
                            + s.state()
                            + " at version "
                            + version
                            + ", not PENDING at version "
                            + entry.statusVersion();
        }
        throw new CorruptZnodeException(
                ZnodeKind.PENDING,
                pendingPath,
                problem + " (an entry can only be dispatched with its status)",
                null);
    }

    /** A terminal status beside its pending entry is forged (see {@code restorePending}). */
    private void restore(PendingEntry entry, int version, TaskStatus forged) {
        LOG.warn(
                "task {} is {} (written by {}) while its pending entry still exists: no genuine"
                        + " end leaves one, so the status is discarded and the task pends again",
                entry.taskId(),
                forged.state(),
                forged.workerId() == null
                        ? "nobody named"
                        : "a session naming " + forged.workerId());
        try {
            ctx.writer()
                    .submit(transitions.restorePending(entry, version))
                    .whenComplete(
                            (r, e) -> {
                                if (e != null && !ctx.writer().lost()) {
                                    LOG.warn(
                                            "could not restore task {}: {}; it is looked at"
                                                    + " again when its entry changes or in the"
                                                    + " next term",
                                            entry.taskId(),
                                            ZooKeeperCalls.unwrap(e).toString());
                                }
                            });
        } catch (Exception e) {
            LOG.error("cannot build the restoration of task {}", entry.taskId(), e);
        }
    }
}
