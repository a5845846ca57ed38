package io.drover.server.internal.http;

import io.drover.client.DroverClient;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.server.api.BroadcastView;
import io.drover.server.api.TaskView;
import io.drover.server.api.TaskView.TaskLink;
import io.drover.store.TaskStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What {@code GET /v1/tasks/{id}} shows of a task's links: each dependency with its state now (one
 * status read per dependency, all in flight together: up to 1,000), for a WAITING task which of
 * them it still waits for, and for a task of a graph its dependents in the graph (the graph's
 * record, then one status read each). Blocking; request threads only.
 */
final class TaskLinks {
    /** Ids named in {@code waitingFor} at most; the full list is {@code dependsOn}. */
    private static final int NAMED = 5;

    static final String GONE = "GONE";

    private TaskLinks() {}

    /**
     * The view with its broadcast side (null for none), its dependencies' states and, for a task of
     * a graph, its dependents' (the graph's record names them).
     */
    static TaskView withLinks(
            DroverClient client, TaskView view, TaskSpec spec, BroadcastView broadcast)
            throws InterruptedException {
        List<String> dependents = List.of();
        if (spec.graphId() != null) {
            dependents =
                    client.graphs()
                            .get(spec.graphId())
                            .map(g -> g.value().dependentsOf(spec.id()))
                            .orElse(List.of());
        }
        if (spec.dependsOn().isEmpty() && dependents.isEmpty()) {
            return view.withRelations(broadcast, null, null);
        }
        List<TaskLink> links = states(client.store(), spec.dependsOn(), spec.id());
        TaskView out =
                view.withRelations(
                        broadcast,
                        links.isEmpty() ? null : links,
                        dependents.isEmpty()
                                ? null
                                : states(client.store(), dependents, spec.id()));
        return TaskState.WAITING.name().equals(view.state()) && !links.isEmpty()
                ? out.withWaitingFor(waitingFor(links))
                : out;
    }

    private static List<TaskLink> states(TaskStore store, List<String> ids, String of)
            throws InterruptedException {
        List<CompletableFuture<Optional<Versioned<TaskStatus>>>> reads = new ArrayList<>();
        ids.forEach(id -> reads.add(store.status(id)));
        List<TaskLink> links = new ArrayList<>(reads.size());
        for (int i = 0; i < reads.size(); i++) {
            Optional<Versioned<TaskStatus>> s =
                    TasksResource.await(reads.get(i), "read the tasks linked to " + of);
            links.add(new TaskLink(ids.get(i), s.map(v -> v.value().state().name()).orElse(GONE)));
        }
        return links;
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
