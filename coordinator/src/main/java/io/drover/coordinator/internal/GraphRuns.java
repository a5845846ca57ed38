package io.drover.coordinator.internal;

import io.drover.model.GraphRecord;
import io.drover.model.GraphState;
import io.drover.model.TaskState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Follows sealed graphs to their end for {@link GraphMembers}: a graph's tasks' states are read
 * once when it is sealed (or re-run, or found running by a new term), then learnt from what the
 * leader observes ({@link EndedTally}), each graph a {@link GraphRun}; once none is left open, its
 * end is handed on to be written. Leader thread only.
 */
final class GraphRuns {
    /** Writes a graph's end over the record version it was followed at. */
    interface Ending {
        void ended(String graphId, int version, GraphState end, GraphRecord.Counts counts);
    }

    private final WaitingReads reads;
    private final java.util.concurrent.Executor executor;
    private final Ending ending;
    private final Map<String, String> graphOf = new HashMap<>();
    private final Map<String, GraphRun> runs = new HashMap<>();

    GraphRuns(LeaderContext ctx, WaitingReads reads, Ending ending) {
        this.reads = reads;
        this.executor = ctx.executor();
        this.ending = ending;
        ctx.ended().listen(this::observed);
    }

    /** Whether the graph is followed at this record version. */
    boolean follows(String graphId, int version) {
        GraphRun run = runs.get(graphId);
        return run != null && run.version() == version;
    }

    boolean follows(String graphId) {
        return runs.containsKey(graphId);
    }

    void follow(GraphRecord g, int version) {
        stop(g.id());
        GraphRun run = new GraphRun(g.tasks(), version);
        runs.put(g.id(), run);
        g.tasks().forEach(id -> graphOf.put(id, g.id()));
        for (String id : g.tasks()) {
            reads.state(id)
                    .whenCompleteAsync( // a failed read completes on ZooKeeper's thread
                            (state, e) -> {
                                if (runs.get(g.id()) == run) {
                                    run.read(id, e == null ? state : null);
                                    endIfDone(g.id());
                                }
                            },
                            executor);
        }
    }

    void stop(String graphId) {
        if (runs.remove(graphId) != null) {
            graphOf.values().removeIf(graphId::equals);
        }
    }

    private void observed(String taskId, TaskState state) {
        String graphId = graphOf.get(taskId);
        GraphRun run = graphId == null ? null : runs.get(graphId);
        if (run != null) {
            run.observed(taskId, state);
            endIfDone(graphId);
        }
    }

    private void endIfDone(String graphId) {
        GraphRun run = runs.get(graphId);
        Optional<GraphRun.End> end = run == null ? Optional.empty() : run.end();
        if (end.isPresent()) {
            stop(graphId);
            ending.ended(graphId, run.version(), end.get().state(), end.get().counts());
        }
    }
}
