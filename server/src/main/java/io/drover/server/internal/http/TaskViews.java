package io.drover.server.internal.http;

import io.drover.client.DroverClient;
import io.drover.client.PendingExplanation;
import io.drover.model.TaskNotFoundException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.server.api.BroadcastView;
import io.drover.server.api.TaskView;
import io.drover.server.internal.BroadcastViews;
import java.util.Optional;

/** A task as {@code GET /v1/tasks/{id}} shows it, for the plain read and for the waiting ones. */
final class TaskViews {
    private TaskViews() {}

    /**
     * Status, spec and, for a pending task, why it waits. Blocking: a few ZooKeeper reads, each
     * bounded.
     */
    static TaskView read(DroverClient client, String id) throws InterruptedException {
        Optional<Versioned<TaskStatus>> status =
                TasksResource.await(client.store().status(id), "read task " + id);
        TaskStatus s = status.orElseThrow(() -> new TaskNotFoundException(id)).value();
        Optional<TaskSpec> spec = TasksResource.await(client.store().spec(id), "read task " + id);
        String waiting = null;
        if (s.state() == TaskState.PENDING) {
            PendingExplanation why = client.explain(id);
            waiting =
                    why.reason() == PendingExplanation.Reason.NOT_PENDING
                            ? null
                            : why.reason() + ": " + why.detail();
        }
        TaskView view = TaskView.of(s);
        view = spec.map(view::withSpec).orElse(view).withWaitingFor(waiting);
        if (spec.isEmpty()) {
            return view;
        }
        BroadcastView broadcast =
                ZooKeeperCalls.call(
                        "read broadcast " + id,
                        () -> BroadcastViews.of(client.store(), spec.get(), s));
        return TaskLinks.withLinks(client, view, spec.get(), broadcast);
    }

    /** Whether the view shows an ended task. */
    static boolean ended(TaskView v) {
        for (TaskState s : TaskState.values()) {
            if (s.isTerminal() && s.name().equals(v.state())) {
                return true;
            }
        }
        return false;
    }
}
