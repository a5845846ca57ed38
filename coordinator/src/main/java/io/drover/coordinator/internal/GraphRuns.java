package io.drover.coordinator.internal;

import io.drover.model.GraphRecord;
import io.drover.model.GraphState;
import io.drover.model.TaskState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Follows sealed graphs to their end for {@link GraphMembers}: a graph's tasks' states are read
 * once when it is sealed (or re-run, or found running by a new term), then learnt from what the
 * leader observes ({@link EndedTally}); once none is left open, its end is handed on to be written.
 * A graph ends FAILED if a task failed, else CANCELLED if one was cancelled, else SUCCEEDED; tasks
 * already deleted by retention are counted apart and decide nothing. Leader thread only.
 */
final class GraphRuns {
    /** Writes a graph's end over the record version it was followed at. */
    interface Ending {
        void ended(String graphId, int version, GraphState end, GraphRecord.Counts counts);
    }

    private static final class Run {
        final int version;
        final Set<String> open = new HashSet<>();
        final Map<String, TaskState> ended = new HashMap<>();
        final Set<String> gone = new HashSet<>();
        int unread;

        Run(int version) {
            this.version = version;
        }
    }

    private final WaitingReads reads;
    private final java.util.concurrent.Executor executor;
    private final Ending ending;
    private final Map<String, String> graphOf = new HashMap<>();
    private final Map<String, Run> runs = new HashMap<>();

    GraphRuns(LeaderContext ctx, WaitingReads reads, Ending ending) {
        this.reads = reads;
        this.executor = ctx.executor();
        this.ending = ending;
        ctx.ended().listen(this::observed);
    }

    /** Whether the graph is followed at this record version. */
    boolean follows(String graphId, int version) {
        Run run = runs.get(graphId);
        return run != null && run.version == version;
    }

    boolean follows(String graphId) {
        return runs.containsKey(graphId);
    }

    void follow(GraphRecord g, int version) {
        stop(g.id());
        Run run = new Run(version);
        runs.put(g.id(), run);
        run.unread = g.tasks().size();
        for (String id : g.tasks()) {
            graphOf.put(id, g.id());
            run.open.add(id);
        }
        for (String id : g.tasks()) {
            reads.state(id)
                    .whenCompleteAsync( // a failed read completes on ZooKeeper's thread
                            (state, e) -> {
                                if (runs.get(g.id()) != run) {
                                    return;
                                }
                                run.unread--;
                                if (e == null && state != null) {
                                    if (state.isEmpty()) {
                                        if (run.open.remove(id)) {
                                            run.gone.add(id);
                                        }
                                    } else {
                                        observed(id, state.get());
                                    }
                                } // else unreadable: it stays open, and the graph running
                                endIfDone(g.id());
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
        Run run = graphId == null ? null : runs.get(graphId);
        if (run == null) {
            return;
        }
        if (state.isTerminal()) {
            if (run.open.remove(taskId) || run.ended.containsKey(taskId)) {
                run.ended.put(taskId, state);
            }
            endIfDone(graphId);
        } else if (run.ended.remove(taskId) != null || run.gone.remove(taskId)) {
            run.open.add(taskId); // re-run
        }
    }

    private void endIfDone(String graphId) {
        Run run = runs.get(graphId);
        if (run == null || run.unread > 0 || !run.open.isEmpty()) {
            return;
        }
        int ok = 0;
        int failed = 0;
        int cancelled = 0;
        for (TaskState s : run.ended.values()) {
            ok += s == TaskState.SUCCEEDED ? 1 : 0;
            failed += s == TaskState.FAILED ? 1 : 0;
            cancelled += s == TaskState.CANCELLED ? 1 : 0;
        }
        GraphState end =
                failed > 0
                        ? GraphState.FAILED
                        : cancelled > 0 ? GraphState.CANCELLED : GraphState.SUCCEEDED;
        stop(graphId);
        ending.ended(
                graphId,
                run.version,
                end,
                new GraphRecord.Counts(ok, failed, cancelled, run.gone.size()));
    }
}
