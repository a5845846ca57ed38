package io.drover.coordinator.internal;

import io.drover.model.CorruptZnodeException;
import io.drover.protocol.ZnodeKind;
import io.drover.protocol.Znodes;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's slow safety net: re-verifies assignments whose worker is gone or whose claim is
 * missing (which also enforces the assignment timeout), and re-reads pending cancellation requests.
 * Watches do the real work; this catches what a lost race left. Leader thread only; blocking
 * listings of {@code claims/} and {@code cancels/}.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final LeaderContext ctx;
    private final Recovery recovery;
    private final Cancellations cancellations;

    Reconciler(LeaderContext ctx, Recovery recovery, Cancellations cancellations) {
        this.ctx = ctx;
        this.recovery = recovery;
        this.cancellations = cancellations;
    }

    void run() {
        try {
            Set<String> claims =
                    new HashSet<>(ctx.client().getChildren().forPath(ctx.paths().claims()));
            ctx.view()
                    .allAssignments()
                    .forEach(
                            (workerId, tasks) ->
                                    tasks.forEach(
                                            taskId -> {
                                                if (!ctx.view().hasWorker(workerId)
                                                        || !claims.contains(taskId)) {
                                                    recovery.verify(taskId);
                                                }
                                            }));
            for (String taskId : ctx.client().getChildren().forPath(ctx.paths().cancels())) {
                try {
                    cancellations.requested(
                            Znodes.idName(ZnodeKind.CANCEL, ctx.paths().cancel(taskId)));
                } catch (CorruptZnodeException e) {
                    ctx.corrupt().report(e, 0);
                }
            }
        } catch (Exception e) {
            LOG.warn("reconciliation in epoch {} failed: {}", ctx.term().epoch(), e.toString());
        }
    }
}
