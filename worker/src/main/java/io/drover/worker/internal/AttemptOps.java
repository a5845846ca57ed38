package io.drover.worker.internal;

import io.drover.model.Claim;
import io.drover.model.DroverPaths;
import io.drover.model.TaskAttempt;
import io.drover.model.TaskStatus;
import io.drover.protocol.TaskTransitions;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;

/**
 * The worker's fenced writes for one attempt, as {@link TaskTransitions} builds them: each applies
 * only if the attempt still owns the task, that is, the status is at the version this worker last
 * saw or wrote.
 */
final class AttemptOps {
    /** Where the status's result sits in the results of a claim multi. */
    static final int CLAIM_STATUS_RESULT = 1;

    private final TaskTransitions transitions;

    AttemptOps(CuratorFramework client, DroverPaths paths) {
        this.transitions = new TaskTransitions(client, paths);
    }

    List<CuratorOp> claim(Attempt a, TaskStatus running) throws Exception {
        return transitions.claim(
                a.assignment,
                new Claim(
                        Claim.FORMAT_VERSION, a.workerId, a.attempt(), System.currentTimeMillis()),
                running);
    }

    List<CuratorOp> progress(Attempt a, TaskStatus withProgress) throws Exception {
        return transitions.progress(a.taskId(), a.runningVersion, withProgress);
    }

    List<CuratorOp> commit(Attempt a, TaskStatus terminal, byte[] data) throws Exception {
        return transitions.commit(a.workerId, a.taskId(), a.runningVersion, terminal, data);
    }

    /**
     * Back to PENDING as {@code next}: a retry after its backoff, or (same attempt) a hand-back.
     */
    List<CuratorOp> requeue(Attempt a, TaskStatus next) throws Exception {
        return transitions.requeue(a.workerId, a.taskId(), a.spec, a.runningVersion, next);
    }

    /** A graceful hand-back does not count as a failure: same attempt number, no backoff. */
    List<CuratorOp> handBack(Attempt a) throws Exception {
        return requeue(
                a,
                a.runningStatus
                        .attemptEnded(
                                TaskAttempt.Outcome.HANDED_BACK,
                                null,
                                a.token,
                                System.currentTimeMillis())
                        .requeued(a.attempt(), "handed back by worker " + a.workerId, 0));
    }
}
