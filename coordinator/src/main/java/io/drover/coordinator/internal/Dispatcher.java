package io.drover.coordinator.internal;

import io.drover.coordinator.AssignmentStrategy;
import io.drover.model.PendingEntry;
import io.drover.model.WorkerInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One dispatch pass, as a pure computation: picks pending entries in global key order (priority,
 * then age) and a worker for each, until no capable worker has a free slot. It merges the per-shape
 * queues, so its cost is the number of tasks it assigns plus the number of shapes, never the number
 * of tasks waiting. A task meant for one worker (a broadcast's response) goes to that worker or
 * nowhere. Not thread-safe.
 */
final class Dispatcher {
    /**
     * An assignment to make; {@code runAs}: the type the task runs as on that worker (a fallback),
     * null for its own.
     */
    record Choice(PendingEntry entry, String workerId, String runAs) {}

    private final AssignmentStrategy strategy;

    Dispatcher(AssignmentStrategy strategy) {
        this.strategy = strategy;
    }

    /**
     * Chooses assignments and removes the chosen entries from {@code index}; capacity comes from
     * {@code view}.
     */
    List<Choice> pass(PendingIndex index, ClusterView view) {
        return pass(index, view, type -> Integer.MAX_VALUE);
    }

    /**
     * What the pass may do per type: how many new assignments it may get (cluster-wide limits,
     * circuit breakers, rate limits), and the type whose workers take them (a breaker's fallback).
     */
    @FunctionalInterface
    interface Gate {
        int allowance(String type);

        default String runAs(String type) {
            return type;
        }
    }

    /**
     * As {@link #pass(PendingIndex, ClusterView)}, with at most {@code gate.allowance(type)} new
     * assignments per type, each to a worker that announces {@code gate.runAs(type)}.
     */
    List<Choice> pass(PendingIndex index, ClusterView view, Gate gate) {
        Map<String, Integer> typeLeft = new HashMap<>();
        Map<String, Integer> free = new HashMap<>();
        int totalFree = 0;
        for (WorkerInfo w : view.workers()) {
            int f = view.free(w);
            if (f > 0) {
                free.put(w.id(), f);
                totalFree += f;
            }
        }
        List<Choice> out = new ArrayList<>();
        if (totalFree == 0) {
            return out;
        }
        record Head(
                PendingIndex.Shape shape,
                List<WorkerInfo> capable,
                Iterator<PendingEntry> rest,
                PendingEntry entry) {}
        PriorityQueue<Head> heads =
                new PriorityQueue<>(Comparator.comparing((Head h) -> h.entry().key()));
        Map<String, String> as = new HashMap<>();
        for (PendingIndex.Shape shape : index.shapes()) {
            String handler = as.computeIfAbsent(shape.type(), gate::runAs);
            if (shape.target() != null && !handler.equals(shape.type())) {
                continue; // a broadcast's response is its worker's own answer: it never falls back
            }
            List<WorkerInfo> capable = new ArrayList<>();
            for (WorkerInfo w : candidates(shape, view)) {
                if (free.containsKey(w.id()) && w.supports(handler, shape.labels())) {
                    capable.add(w);
                }
            }
            int left = typeLeft.computeIfAbsent(shape.type(), gate::allowance);
            if (!capable.isEmpty() && left > 0) {
                Iterator<PendingEntry> it = index.entries(shape).values().iterator();
                heads.add(new Head(shape, capable, it, it.next()));
            }
        }
        while (totalFree > 0 && !heads.isEmpty()) {
            Head head = heads.poll();
            String type = head.shape().type();
            if (typeLeft.get(type) <= 0) {
                continue; // the type's limit or breaker is reached for this pass
            }
            WorkerInfo worker = pick(head.capable(), free);
            if (worker == null) {
                continue; // every worker of this shape is full; the shape waits for the next pass
            }
            free.merge(worker.id(), -1, Integer::sum);
            free.remove(worker.id(), 0);
            totalFree--;
            typeLeft.merge(type, -1, Integer::sum);
            String handler = as.get(type);
            out.add(new Choice(head.entry(), worker.id(), handler.equals(type) ? null : handler));
            if (head.rest().hasNext()) {
                heads.add(new Head(head.shape(), head.capable(), head.rest(), head.rest().next()));
            }
        }
        // removed only now: the pass iterates the index's own maps lazily
        out.forEach(c -> index.remove(c.entry().taskId(), c.entry().key()));
        return out;
    }

    /** A targeted shape's one worker (looked up, not searched for), or every admitted worker. */
    private static java.util.Collection<WorkerInfo> candidates(
            PendingIndex.Shape shape, ClusterView view) {
        if (shape.target() == null) {
            return view.workers();
        }
        WorkerInfo target = view.worker(shape.target());
        return target == null ? List.of() : List.of(target);
    }

    private WorkerInfo pick(List<WorkerInfo> capable, Map<String, Integer> free) {
        WorkerInfo best = null;
        int bestFree = 0;
        for (WorkerInfo w : capable) {
            int f = free.getOrDefault(w.id(), 0);
            if (f <= 0) {
                continue;
            }
            boolean better =
                    best == null
                            || (strategy == AssignmentStrategy.EQUAL_DISTRIBUTION
                                    ? f > bestFree
                                    : f < bestFree)
                            || (f == bestFree && w.id().compareTo(best.id()) < 0);
            if (better) {
                best = w;
                bestFree = f;
            }
        }
        return best;
    }
}
