package io.drover.coordinator.internal;

import io.drover.model.PendingEntry;
import io.drover.protocol.PolicyTransitions;
import io.drover.protocol.TaskTransitions;
import io.drover.protocol.ZooKeeperCalls;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one dispatch decision: the assignment's fenced multi, and what a rejection means. A worker
 * at fault (its folder missing, or holding a node of that name) is rejected or backs off and the
 * task goes back into the index for another worker; otherwise the entry itself is audited (gone,
 * moved on, or inconsistent with its status), so the leader never re-dispatches a task that cannot
 * be assigned. Leader thread only.
 */
final class Assigner {
    private static final Logger LOG = LoggerFactory.getLogger(Assigner.class);

    private final LeaderContext ctx;
    private final PolicyTransitions transitions;
    private final TypeRules typeRules;
    private final WorkerRoster roster;
    private final PendingAudit audit;
    private final Consumer<String> refreshPending;
    private final Runnable requestPass;

    Assigner(
            LeaderContext ctx,
            TypeRules typeRules,
            WorkerRoster roster,
            PendingAudit audit,
            Consumer<String> refreshPending,
            Runnable requestPass) {
        this.ctx = ctx;
        this.transitions = new PolicyTransitions(ctx.client(), ctx.paths());
        this.typeRules = typeRules;
        this.roster = roster;
        this.audit = audit;
        this.refreshPending = refreshPending;
        this.requestPass = requestPass;
    }

    /** Sends the assignment; {@code runAs}: the fallback type to run it as, null for its own. */
    void assign(PendingEntry entry, String workerId, String runAs, long now) {
        TaskTransitions.Assigning assigning;
        try {
            assigning = transitions.assign(entry, workerId, runAs, ctx.term().epoch(), now);
        } catch (Exception e) {
            LOG.error("cannot build assignment of {}", entry.taskId(), e);
            return;
        }
        String type = entry.type();
        String assignmentPath = ctx.paths().assignment(workerId, entry.taskId());
        ctx.view().reserve(workerId, type);
        ctx.writer()
                .submit(assigning.ops())
                .whenCompleteAsync(
                        (r, e) -> {
                            ctx.view().release(workerId, type);
                            if (e == null) {
                                ctx.view()
                                        .addAssignment(
                                                workerId,
                                                entry.taskId(),
                                                assigning.assignment().status());
                                roster.assignmentSucceeded(workerId);
                                return;
                            }
                            if (ctx.writer().lost()) {
                                return;
                            }
                            Throwable cause = ZooKeeperCalls.unwrap(e);
                            LOG.debug(
                                    "assignment of task {} to {} rejected: {}",
                                    entry.taskId(),
                                    workerId,
                                    cause.toString());
                            typeRules.assignFailed(type, entry.taskId());
                            if (WorkerRoster.isWorkersFault(cause, assignmentPath)) {
                                roster.assignmentFailed(
                                        workerId,
                                        assignmentPath,
                                        cause,
                                        System.currentTimeMillis());
                                // the task goes to another worker meanwhile
                                refreshPending.accept(ctx.paths().pending(entry));
                            } else {
                                // the entry is gone, moved on, or inconsistent
                                audit.recheck(ctx.paths().pending(entry), entry.taskId());
                            }
                            requestPass.run();
                        },
                        ctx.executor());
    }
}
