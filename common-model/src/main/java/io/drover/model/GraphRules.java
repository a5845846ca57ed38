package io.drover.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a graph of tasks before anything is written, and plans it ({@link GraphRecord}): every id
 * once, every dependency either a task of the graph or one from outside it (which must exist; the
 * store checks that), and no cycle (the error names one). Also orders a graph for a re-run. Pure
 * and stateless; errors are {@link InvalidTaskException}s naming the field ({@code tasks[3].id}).
 */
public final class GraphRules {
    private GraphRules() {}

    /** The STAGING record of a graph of these tasks (whose ids they must all carry). */
    public static GraphRecord plan(
            String graphId, List<TaskSpec> specs, String submittedBy, long nowMs) {
        Names.checkId("id", graphId);
        if (specs.isEmpty() || specs.size() > GraphRecord.MAX_TASKS) {
            throw new InvalidTaskException(
                    "tasks",
                    "must hold 1 to " + GraphRecord.MAX_TASKS + " tasks, held " + specs.size());
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            TaskSpec s = specs.get(i);
            Integer before = index.putIfAbsent(s.id(), i);
            if (before != null) {
                throw new InvalidTaskException(
                        "tasks[" + i + "].id",
                        "names task " + s.id() + " as tasks[" + before + "] does");
            }
            if (s.graphId() != null && !s.graphId().equals(graphId)) {
                throw new InvalidTaskException(
                        "tasks[" + i + "].graphId", "must be left out or be " + graphId);
            }
            if (s.broadcast() != null) {
                throw new InvalidTaskException(
                        "tasks[" + i + "].broadcast", "has no place in a graph");
            }
        }
        Map<String, Integer> external = new LinkedHashMap<>();
        List<List<Integer>> deps = new ArrayList<>(specs.size());
        for (TaskSpec s : specs) {
            List<Integer> mine = new ArrayList<>(s.dependsOn().size());
            for (String d : s.dependsOn()) {
                Integer j = index.get(d);
                mine.add(
                        j != null
                                ? j
                                : specs.size() + external.computeIfAbsent(d, k -> external.size()));
            }
            deps.add(mine);
        }
        checkAcyclic(specs, deps);
        List<String> ids = specs.stream().map(TaskSpec::id).toList();
        return new GraphRecord(
                        GraphRecord.FORMAT_VERSION,
                        graphId,
                        GraphState.STAGING,
                        nowMs,
                        submittedBy,
                        ids,
                        deps,
                        new ArrayList<>(external.keySet()),
                        0,
                        null,
                        0,
                        null)
                .validate();
    }

    /** The spec as a task of graph {@code graphId}. */
    public static TaskSpec member(TaskSpec s, String graphId) {
        return new TaskSpec(
                s.formatVersion(),
                s.id(),
                s.type(),
                s.payload(),
                s.priority(),
                s.maxAttempts(),
                s.requiredLabels(),
                s.submittedAtMs(),
                s.retry(),
                s.timeoutMs(),
                s.notBeforeMs(),
                s.idempotencyKey(),
                s.submitSeq(),
                s.submittedBy(),
                s.dependsOn(),
                s.ifDependencyFails(),
                graphId,
                s.broadcast(),
                s.parentId(),
                s.targetWorker(),
                s.scheduleId(),
                s.unknown());
    }

    /**
     * The graph's tasks in layers: each task after every task of the graph it depends on (so a
     * re-run in this order never shows a dependent a dependency that has not been re-run yet).
     */
    public static List<List<Integer>> layers(GraphRecord g) {
        int n = g.tasks().size();
        int[] depth = new int[n];
        int[] pendingDeps = new int[n];
        List<List<Integer>> dependents = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            dependents.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int j : g.dependsOn().get(i)) {
                if (j < n) {
                    pendingDeps[i]++;
                    dependents.get(j).add(i);
                }
            }
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (pendingDeps[i] == 0) {
                ready.add(i);
            }
        }
        List<List<Integer>> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            int i = ready.poll();
            while (out.size() <= depth[i]) {
                out.add(new ArrayList<>());
            }
            out.get(depth[i]).add(i);
            for (int k : dependents.get(i)) {
                depth[k] = Math.max(depth[k], depth[i] + 1);
                if (--pendingDeps[k] == 0) {
                    ready.add(k);
                }
            }
        }
        return out;
    }

    /** Depth-first, without recursion (a chain may be 20,000 long); names the first cycle found. */
    private static void checkAcyclic(List<TaskSpec> specs, List<List<Integer>> deps) {
        int n = specs.size();
        byte[] mark = new byte[n]; // 0 unseen, 1 on the path, 2 done
        int[] next = new int[n];
        int[] parent = new int[n];
        for (int start = 0; start < n; start++) {
            if (mark[start] != 0) {
                continue;
            }
            Deque<Integer> path = new ArrayDeque<>();
            path.push(start);
            mark[start] = 1;
            parent[start] = -1;
            while (!path.isEmpty()) {
                int u = path.peek();
                List<Integer> out = deps.get(u);
                if (next[u] == out.size()) {
                    mark[u] = 2;
                    path.pop();
                    continue;
                }
                int v = out.get(next[u]++);
                if (v >= n || mark[v] == 2) {
                    continue;
                }
                if (mark[v] == 1) {
                    throw new InvalidTaskException(
                            "tasks", "form a cycle: " + cycle(specs, parent, u, v));
                }
                mark[v] = 1;
                parent[v] = u;
                path.push(v);
            }
        }
    }

    /** {@code a -> b -> c -> a}: each depends on the next. */
    private static String cycle(List<TaskSpec> specs, int[] parent, int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int k = from; k != to; k = parent[k]) {
            ids.add(specs.get(k).id());
        }
        ids.add(specs.get(to).id());
        java.util.Collections.reverse(ids);
        ids.add(specs.get(to).id());
        return String.join(" -> ", ids) + " (each depends on the next)";
    }
}
