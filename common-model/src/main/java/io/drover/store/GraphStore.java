package io.drover.store;

import io.drover.model.GraphRecord;
import io.drover.model.Names;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.ZooKeeperCalls;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;

/**
 * Graphs of tasks submitted as a unit, straight in ZooKeeper (no leader needed to submit): submit
 * one all or nothing, read it with its tasks' states, list them, cancel one, re-run one from its
 * failed tasks. See {@code docs/workflows.md}. For example {@code client.graphs().submit(null,
 * List.of(a, b.dependsOn("a")...), null)}.
 *
 * <p>Thread-safe. Every method blocks on ZooKeeper: never call it on the ZooKeeper event thread.
 * Failures are {@link io.drover.model.DroverException}s that say whether retrying helps.
 */
public final class GraphStore {
    /** A page of graphs, and the id to list after for the next one (null: none). */
    public record GraphPage(List<GraphRecord> graphs, String next) {}

    private final GraphStaging staging;
    private final GraphActions actions;

    public GraphStore(CuratorFramework client, TaskStore store) {
        this.staging = new GraphStaging(client, store);
        this.actions = new GraphActions(client, store);
    }

    /**
     * Submits a graph: every task WAITING first, then all released together (as their dependencies
     * allow) by one write, or nothing at all. Dependencies name tasks of the graph or tasks
     * submitted before it. Returns the graph's id. Fails with {@link
     * io.drover.model.InvalidTaskException} naming the field ({@code tasks[3].dependsOn}: an
     * unknown id, or a cycle, named), {@link io.drover.model.GraphConflictException} (the graph or
     * one of its task ids exists), or a quota error; then nothing of it runs.
     *
     * @param graphId null for a random one
     * @param quota who submits (null: nobody in particular)
     */
    public String submit(String graphId, List<TaskSpec> tasks, SubmitterQuota quota) {
        String id = graphId == null ? UUID.randomUUID().toString() : graphId;
        Names.checkId("id", id);
        return ZooKeeperCalls.call(
                "submit graph " + id,
                () -> {
                    staging.submit(id, tasks, quota);
                    return id;
                });
    }

    /** A graph's record and its version; empty if there is none (or it is still staged). */
    public Optional<Versioned<GraphRecord>> get(String graphId) {
        return ZooKeeperCalls.call(
                "read graph " + graphId,
                () -> actions.get(graphId).filter(g -> g.value().state().isSealed()));
    }

    /** The statuses of a graph's tasks, in its order; null for a task deleted since. */
    public List<TaskStatus> statuses(GraphRecord graph) {
        return ZooKeeperCalls.call(
                "read the tasks of graph " + graph.id(), () -> actions.statuses(graph));
    }

    /** Graphs by id, after {@code after} (null: from the first); 1 to 100 a page. */
    public GraphPage list(String after, int limit) {
        if (limit < 1 || limit > 100) {
            throw new io.drover.model.InvalidTaskException(
                    "limit", "must be 1 to 100, was " + limit);
        }
        return ZooKeeperCalls.call("list graphs", () -> actions.list(after, limit));
    }

    /**
     * Asks for every task of the graph not yet ended to be cancelled (carried out as for {@code
     * DroverClient.cancel}); their dependents are cancelled in turn. Returns how many were asked.
     */
    public int cancel(String graphId) {
        return ZooKeeperCalls.call("cancel graph " + graphId, () -> actions.cancel(graphId));
    }

    /**
     * Re-runs an ended graph from its failed tasks: every FAILED or CANCELLED task runs again (its
     * dependents wait for it again), and the graph is RUNNING until they end. Returns how many
     * tasks run again; fails with {@link io.drover.model.GraphConflictException} for a graph that
     * runs or has nothing to re-run.
     */
    public int rerun(String graphId, SubmitterQuota quota) {
        return ZooKeeperCalls.call("re-run graph " + graphId, () -> actions.rerun(graphId, quota));
    }

    /** Fails writes still queued; the Curator client is its owner's to close. */
    public void close() {
        staging.close();
    }
}
