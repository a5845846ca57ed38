package io.drover.coordinator.internal;

import io.drover.model.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which WAITING tasks wait for which of their dependencies, and what follows when one ends: the
 * pure core of {@link Dependencies}, with no ZooKeeper, no threads and no clock, so that {@code
 * DependencyStateTest} can check it transition by transition. A waiter counts a dependency open
 * until it hears how it ended; when the last one ends it is released, and when one ends other than
 * SUCCEEDED it is cancelled at once (naming it), unless it runs anyway. A decided waiter is
 * forgotten here at once, so nothing is decided twice; its runner follows it again if the write
 * fails. Memory: one entry per waiter and per dependency it names, plus one per dependency still
 * open. Not thread-safe: the leader's thread only.
 */
final class DependencyState {
    /** What the leader must write for a waiting task: release it, or cancel it saying why. */
    record Decision(String taskId, boolean release, String reason) {
        static Decision release(String taskId) {
            return new Decision(taskId, true, null);
        }

        static Decision cancel(String taskId, String reason) {
            return new Decision(taskId, false, reason);
        }
    }

    /**
     * A waiter just followed: the dependencies nobody was waiting for yet (their state is not known
     * here: learn it), and the decision when it can be taken at once (it named none).
     */
    record Added(List<String> unknown, Decision decision) {}

    private record Waiter(List<String> dependencies, boolean runAnyway, Set<String> open) {}

    private final Map<String, Waiter> waiters = new HashMap<>();

    /** Dependency → the waiters that count it open. */
    private final Map<String, Set<String>> openBy = new HashMap<>();

    /** Dependency → how many waiters name it at all (retention keeps these). */
    private final Map<String, Integer> named = new HashMap<>();

    /** Follows a waiting task; a task already followed is left as it is. */
    Added add(String taskId, List<String> dependencies, boolean runAnyway) {
        if (waiters.containsKey(taskId)) {
            return new Added(List.of(), null);
        }
        if (dependencies.isEmpty()) {
            return new Added(List.of(), Decision.release(taskId));
        }
        Waiter w = new Waiter(List.copyOf(dependencies), runAnyway, new LinkedHashSet<>());
        waiters.put(taskId, w);
        List<String> unknown = new ArrayList<>();
        for (String d : w.dependencies()) {
            w.open().add(d);
            named.merge(d, 1, Integer::sum);
            Set<String> by = openBy.computeIfAbsent(d, k -> new LinkedHashSet<>());
            if (by.isEmpty()) {
                unknown.add(d);
            }
            by.add(taskId);
        }
        return new Added(unknown, null);
    }

    /**
     * A task ended ({@code state} terminal), or is gone ({@code state} null): the decisions for the
     * waiters that counted it open. A state that is no end changes nothing.
     */
    List<Decision> ended(String taskId, TaskState state) {
        if (state != null && !state.isTerminal()) {
            return List.of();
        }
        Set<String> dependents = openBy.remove(taskId);
        if (dependents == null) {
            return List.of();
        }
        List<Decision> out = new ArrayList<>();
        for (String id : dependents) {
            Waiter w = waiters.get(id);
            w.open().remove(taskId);
            if (state != TaskState.SUCCEEDED && !w.runAnyway()) {
                forget(id);
                out.add(Decision.cancel(id, reason(taskId, state)));
            } else if (w.open().isEmpty()) {
                forget(id);
                out.add(Decision.release(id));
            }
        }
        return out;
    }

    /** Why a dependent is cancelled: {@code dependency extract-7 FAILED}. */
    static String reason(String dependency, TaskState state) {
        return "dependency "
                + dependency
                + (state == null ? " no longer exists" : " " + state.name());
    }

    /** Stops following a waiter (decided, or moved by someone else); unknown ids are ignored. */
    void forget(String taskId) {
        Waiter w = waiters.remove(taskId);
        if (w == null) {
            return;
        }
        for (String d : w.open()) {
            Set<String> by = openBy.get(d);
            if (by != null && by.remove(taskId) && by.isEmpty()) {
                openBy.remove(d);
            }
        }
        for (String d : w.dependencies()) {
            named.computeIfPresent(d, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    boolean follows(String taskId) {
        return waiters.containsKey(taskId);
    }

    /** Whether a followed waiter names this task (so its result must be kept). */
    boolean named(String taskId) {
        return named.containsKey(taskId);
    }

    /** The dependencies some waiter still counts open. */
    Set<String> open() {
        return openBy.keySet();
    }

    /** How many of its dependencies a followed waiter still counts open, or -1. */
    int openCount(String taskId) {
        Waiter w = waiters.get(taskId);
        return w == null ? -1 : w.open().size();
    }

    int size() {
        return waiters.size();
    }
}
