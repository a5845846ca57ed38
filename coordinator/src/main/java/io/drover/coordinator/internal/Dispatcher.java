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
    private int examined;

    Dispatcher(AssignmentStrategy strategy) {
        this.strategy = strategy;
    }

    /**
     * Workers the last pass looked at: those of the types it had due work for, however many other
     * workers there are.
     */
    int workersExamined() {
        return examined;
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
        examined = 0;
        if (index.shapes().isEmpty()) {
            return new ArrayList<>(); // nothing due: idle workers cost a pass nothing
        }
        Map<String, Integer> typeLeft = new HashMap<>();
        // free slots of the workers this pass looked at, counted down as it assigns; only the
        // workers of a due shape's type are looked at, so idle workers of other types cost nothing
        Map<String, Integer> free = new HashMap<>();
        List<Choice> out = new ArrayList<>();
        record Head(
                PendingIndex.Shape shape,
                Capable capable,
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
            Capable capable = new Capable(strategy, free);
            for (WorkerInfo w : candidates(shape, handler, view)) {
                if (w.supports(handler, shape.labels())
                        && free.computeIfAbsent(w.id(), id -> view.free(w)) > 0) {
                    capable.add(w);
                }
            }
            // asked only with a worker to take it: a breaker's allowance may move it to HALF_OPEN
            if (!capable.isEmpty() && typeLeft.computeIfAbsent(shape.type(), gate::allowance) > 0) {
                Iterator<PendingEntry> it = index.entries(shape);
                if (it.hasNext()) { // else its head is being read again (ShapeQueue)
                    heads.add(new Head(shape, capable, it, it.next()));
                }
            }
        }
        examined = free.size();
        while (!heads.isEmpty()) {
            Head head = heads.poll();
            String type = head.shape().type();
            if (typeLeft.get(type) <= 0) {
                continue; // the type's limit or breaker is reached for this pass
            }
            WorkerInfo worker = head.capable().pick();
            if (worker == null) {
                continue; // every worker of this shape is full; the shape waits for the next pass
            }
            free.merge(worker.id(), -1, Integer::sum);
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

    /**
     * A targeted shape's one worker (looked up, not searched for), or the admitted workers of the
     * type it runs as.
     */
    private static java.util.Collection<WorkerInfo> candidates(
            PendingIndex.Shape shape, String handler, ClusterView view) {
        if (shape.target() == null) {
            return view.workersOf(handler);
        }
        WorkerInfo target = view.worker(shape.target());
        return target == null ? List.of() : List.of(target);
    }

    /**
     * A shape's capable workers, to pick the best free one from: the most free slots
     * (EQUAL_DISTRIBUTION), else the fewest, ties to the lowest id. For EQUAL_DISTRIBUTION a heap
     * keyed by the free slots a worker had when it went in: slots only go down during a pass, so a
     * polled worker whose count has not moved is the best one, and one whose count has moved goes
     * back in with its count now. A pick is then O(log workers), not a scan of every worker, which
     * counts with a thousand workers. FILL_CAPACITY scans (a min-heap would not stay right as other
     * shapes take slots).
     */
    private static final class Capable {
        private record Slot(WorkerInfo worker, int free) {}

        private final AssignmentStrategy strategy;
        private final Map<String, Integer> free;
        private final List<WorkerInfo> all = new ArrayList<>();
        private final PriorityQueue<Slot> heap =
                new PriorityQueue<>(
                        Comparator.comparingInt((Slot s) -> -s.free())
                                .thenComparing(s -> s.worker().id()));

        Capable(AssignmentStrategy strategy, Map<String, Integer> free) {
            this.strategy = strategy;
            this.free = free;
        }

        void add(WorkerInfo w) {
            if (strategy == AssignmentStrategy.EQUAL_DISTRIBUTION) {
                heap.add(new Slot(w, free.get(w.id())));
            } else {
                all.add(w);
            }
        }

        boolean isEmpty() {
            return heap.isEmpty() && all.isEmpty();
        }

        WorkerInfo pick() {
            if (strategy != AssignmentStrategy.EQUAL_DISTRIBUTION) {
                return fewestFree();
            }
            Slot s;
            while ((s = heap.poll()) != null) {
                int now = free.getOrDefault(s.worker().id(), 0);
                if (now == s.free()) {
                    if (now > 1) {
                        heap.add(new Slot(s.worker(), now - 1)); // the slot it is about to lose
                    }
                    return s.worker();
                }
                if (now > 0) {
                    heap.add(new Slot(s.worker(), now));
                }
            }
            return null;
        }

        private WorkerInfo fewestFree() {
            WorkerInfo best = null;
            int bestFree = 0;
            for (WorkerInfo w : all) {
                int f = free.getOrDefault(w.id(), 0);
                if (f > 0
                        && (best == null
                                || f < bestFree
                                || (f == bestFree && w.id().compareTo(best.id()) < 0))) {
                    best = w;
                    bestFree = f;
                }
            }
            return best;
        }
    }
}
