package io.drover.coordinator.internal;

import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.model.WaitingStatus;
import io.drover.protocol.TaskTransitions;
import java.util.List;

/**
 * What the leader holds of a WAITING task, read once when it appears: its status and version, the
 * pending entry its release writes (the spec inline only when small, as in the pending index), and
 * its dependencies. The spec itself is not kept: a waiting task costs the leader about what a
 * pending one does.
 *
 * @param graphId the graph it was staged for, or null
 */
record WaitingTask(
        TaskStatus status,
        int version,
        PendingEntry released,
        List<String> dependsOn,
        boolean runAnyway,
        String graphId) {

    static WaitingTask of(TaskSpec spec, int encodedSpecBytes, TaskStatus waiting, int version) {
        return new WaitingTask(
                waiting,
                version,
                PendingEntry.of(
                        spec,
                        encodedSpecBytes,
                        WaitingStatus.released(waiting),
                        TaskTransitions.after(version)),
                spec.dependsOn(),
                spec.ifDependencyFails() == TaskSpec.IfDependencyFails.RUN,
                spec.graphId());
    }

    String taskId() {
        return status.taskId();
    }
}
