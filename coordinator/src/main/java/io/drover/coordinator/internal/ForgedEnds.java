package io.drover.coordinator.internal;

import io.drover.model.Assignment;
import io.drover.model.TaskAttempt;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.TaskTransitions;
import io.drover.protocol.Znodes;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terminal statuses that no genuine transition wrote. Any worker may write a status: ZooKeeper's
 * ACLs cannot say "only the session that holds this task's claim". But every genuine end removes
 * the task's assignment (or pending entry) in the same multi, and only the assigned worker and
 * coordinators may remove an assignment; so a terminal status while the assignment of its attempt
 * still exists was written by someone else, and is never accepted as the task's result: the attempt
 * counts as lost and the task pends again. Pure apart from the ops it builds.
 */
final class ForgedEnds {
    private static final Logger LOG = LoggerFactory.getLogger(ForgedEnds.class);

    private final TaskTransitions transitions;

    ForgedEnds(TaskTransitions transitions) {
        this.transitions = transitions;
    }

    static boolean forged(
            Optional<Versioned<TaskStatus>> current, Optional<Assignment> assignment) {
        return current.isPresent()
                && current.get().value().state().isTerminal()
                && assignment.isPresent()
                && assignment.get().status().attempt() == current.get().value().attempt();
    }

    /** An unreadable assignment is no evidence of a forged end; the verification goes on. */
    static Optional<Assignment> decode(String path, Optional<Versioned<byte[]>> raw) {
        try {
            return raw.map(r -> Znodes.assignment(path, r.value()));
        } catch (RuntimeException corrupt) {
            return Optional.empty();
        }
    }

    /** The ops that put the task back to PENDING (FAILED if its spec is gone). */
    List<CuratorOp> restore(
            String taskId,
            String workerId,
            Versioned<TaskStatus> forged,
            Assignment assignment,
            boolean claimed,
            Optional<TaskSpec> spec)
            throws Exception {
        LOG.warn(
                "task {} is {} while its assignment to {} still exists: no genuine end leaves"
                        + " one, so the status is discarded and the task pends again",
                taskId,
                forged.value().state(),
                workerId);
        // The forged status's history is not evidence; the order's is, and the attempt counts as
        // lost.
        TaskStatus was =
                assignment
                        .status()
                        .attemptEnded(
                                TaskAttempt.Outcome.LOST,
                                "a terminal status was written by a session that did not hold the"
                                        + " claim",
                                0,
                                System.currentTimeMillis());
        if (spec.isEmpty()) {
            return transitions.recoverToEnd(
                    workerId,
                    taskId,
                    claimed,
                    forged.version(),
                    was.finished(
                            TaskState.FAILED,
                            was.fencingToken(),
                            null,
                            "its spec is gone",
                            System.currentTimeMillis()),
                    false);
        }
        return transitions.recoverToPending(
                workerId,
                taskId,
                claimed,
                spec.get(),
                forged.version(),
                was.requeued(
                        was.attempt() + 1,
                        "a terminal status was written by a session that did not hold the claim",
                        0));
    }
}
