package io.drover.coordinator.internal;

import io.drover.model.GraphRecord;
import io.drover.model.GraphState;
import io.drover.model.TaskState;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One sealed graph followed to its end, at one record version: pure state, fed by {@link GraphRuns}
 * with the first read of each task's state and with what the leader observes afterwards. What the
 * leader observed wins over a first read that completes after it: that read may have been answered
 * before the observed change (a dependent cancelled meanwhile), and taking its older state for a
 * re-run would keep the graph open for ever. Not thread-safe.
 */
final class GraphRun {
    /** How a graph ended, and its counts. */
    record End(GraphState state, GraphRecord.Counts counts) {}

    private final int version;
    private final Set<String> open = new HashSet<>();
    private final Map<String, TaskState> ended = new HashMap<>();
    private final Set<String> gone = new HashSet<>();
    private final Set<String> observed = new HashSet<>();
    private int unread;

    GraphRun(Collection<String> tasks, int version) {
        this.version = version;
        this.open.addAll(tasks);
        this.unread = open.size();
    }

    int version() {
        return version;
    }

    /**
     * The first read of a task's state: empty when the task is gone, null when it could not be read
     * (it stays open).
     */
    void read(String taskId, Optional<TaskState> state) {
        unread--;
        if (state == null || observed.contains(taskId)) {
            return;
        }
        if (state.isEmpty()) {
            if (open.remove(taskId)) {
                gone.add(taskId);
            }
        } else {
            apply(taskId, state.get());
        }
    }

    /** The leader saw the task in this state. */
    void observed(String taskId, TaskState state) {
        observed.add(taskId);
        apply(taskId, state);
    }

    private void apply(String taskId, TaskState state) {
        if (state.isTerminal()) {
            if (open.remove(taskId) || ended.containsKey(taskId)) {
                ended.put(taskId, state);
            }
        } else if (ended.remove(taskId) != null || gone.remove(taskId)) {
            open.add(taskId); // re-run
        }
    }

    /**
     * The graph's end once every task was read and none is open: FAILED if a task failed, else
     * CANCELLED if one was cancelled, else SUCCEEDED; tasks deleted by retention decide nothing.
     */
    Optional<End> end() {
        if (unread > 0 || !open.isEmpty()) {
            return Optional.empty();
        }
        int ok = 0;
        int failed = 0;
        int cancelled = 0;
        for (TaskState s : ended.values()) {
            ok += s == TaskState.SUCCEEDED ? 1 : 0;
            failed += s == TaskState.FAILED ? 1 : 0;
            cancelled += s == TaskState.CANCELLED ? 1 : 0;
        }
        GraphState end =
                failed > 0
                        ? GraphState.FAILED
                        : cancelled > 0 ? GraphState.CANCELLED : GraphState.SUCCEEDED;
        return Optional.of(
                new End(end, new GraphRecord.Counts(ok, failed, cancelled, gone.size())));
    }
}
