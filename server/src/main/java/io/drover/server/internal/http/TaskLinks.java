package io.drover.server.internal.http;

import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.server.api.TaskView;
import io.drover.server.api.TaskView.TaskLink;
import io.drover.store.TaskStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What {@code GET /v1/tasks/{id}} shows of a task's dependencies: each one with its state now (one
 * status read per dependency, all in flight together: up to 1,000), and for a WAITING task which of
 * them it still waits for. Blocking; request threads only.
 */
final class TaskLinks {
    /** Ids named in {@code waitingFor} at most; the full list is {@code dependsOn}. */
    private static final int NAMED = 5;

    static final String GONE = "GONE";

    private TaskLinks() {}

    static TaskView withDependencies(TaskStore store, TaskView view, TaskSpec spec)
            throws InterruptedException {
        if (spec.dependsOn().isEmpty()) {
            return view;
        }
        List<CompletableFuture<Optional<Versioned<TaskStatus>>>> reads = new ArrayList<>();
        spec.dependsOn().forEach(id -> reads.add(store.status(id)));
        List<TaskLink> links = new ArrayList<>(reads.size());
        for (int i = 0; i < reads.size(); i++) {
            Optional<Versioned<TaskStatus>> s =
                    TasksResource.await(
                            reads.get(i), "read the tasks " + spec.id() + " depends on");
            links.add(
                    new TaskLink(
                            spec.dependsOn().get(i),
                            s.map(v -> v.value().state().name()).orElse(GONE)));
        }
        TaskView out = view.withLinks(links, view.dependents());
        return TaskState.WAITING.name().equals(view.state())
                ? out.withWaitingFor(waitingFor(links))
                : out;
    }

    /** {@code DEPENDENCIES: 2 of 3 not ended yet: a, b}. */
    static String waitingFor(List<TaskLink> links) {
        List<String> open = new ArrayList<>();
        for (TaskLink l : links) {
            if (l.state().equals(GONE) || TaskState.valueOf(l.state()).isTerminal()) {
                continue;
            }
            open.add(l.id());
        }
        String named = String.join(", ", open.subList(0, Math.min(NAMED, open.size())));
        return "DEPENDENCIES: "
                + open.size()
                + " of "
                + links.size()
                + " not ended yet"
                + (open.isEmpty() ? " (the leader moves it on)" : ": " + named)
                + (open.size() > NAMED ? ", ..." : "");
    }
}
