package io.drover.coordinator.internal;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.internal.ItemPlanner.Kind;
import io.drover.coordinator.internal.ItemPlanner.Order;
import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run of the {@link ItemPlanner}'s rules over the leader's view, with the tallies they share:
 * each worker's load and loads in flight as this pass's orders change them, and the items already
 * ordered. A pass is built, used once and dropped, so no tally outlives the view it was counted
 * from; it lives apart from the planner so the rules' contract stays readable on its own. Not
 * thread-safe: the leader's thread only.
 */
final class ItemPass {
    private final CoordinatorConfig.ItemSettings settings;
    private final ItemState state;
    private final Map<String, WorkerInfo> workers;
    private final LoadFailures failures;
    private final Map<String, String> moves;
    private final long now;
    final List<Order> orders = new ArrayList<>();

    /** Items each worker will hold once its queue is done, counting this pass's orders. */
    private final Map<String, Integer> load = new HashMap<>();

    private final Map<String, Integer> loadsInFlight = new HashMap<>();

    /** Items with an order in this pass: one order per item and worker. */
    private final Set<String> touched = new HashSet<>();

    ItemPass(
            CoordinatorConfig.ItemSettings settings,
            ItemState state,
            Map<String, WorkerInfo> workers,
            LoadFailures failures,
            Map<String, String> moves,
            long now) {
        this.settings = settings;
        this.state = state;
        this.workers = workers;
        this.failures = failures;
        this.moves = moves;
        this.now = now;
        for (WorkerInfo w : workers.values()) {
            if (!w.servesItems()) {
                continue;
            }
            int n = state.servedOn(w.id()).size();
            int inFlight = 0;
            for (ItemState.Command c : state.commandsOf(w.id()).values()) {
                if (c.action() == LoadCommand.Action.LOAD && !c.failed()) {
                    n++;
                    inFlight++;
                } else if (c.action() == LoadCommand.Action.DROP) {
                    n--;
                }
            }
            load.put(w.id(), n);
            loadsInFlight.put(w.id(), inFlight);
        }
    }

    void undeclared() {
        for (String itemId : List.copyOf(state.servedItems())) {
            if (!state.desired().containsKey(itemId) && !state.isUnreadable(itemId)) {
                for (String w : state.servedBy(itemId)) {
                    if (workers.containsKey(w) && state.command(w, itemId) == null) {
                        order(Kind.DROP, itemId, w);
                    }
                }
            }
        }
        for (String w : List.copyOf(state.queuedWorkers())) {
            state.commandsOf(w)
                    .forEach(
                            (itemId, c) -> {
                                if (!state.desired().containsKey(itemId)
                                        && !state.isUnreadable(itemId)
                                        && c.action() == LoadCommand.Action.LOAD
                                        && !c.failed()) {
                                    order(Kind.REVOKE, itemId, w);
                                }
                            });
        }
        moves.keySet().removeIf(itemId -> !state.desired().containsKey(itemId));
        // Nothing is placed for an unreadable item either: it is in neither list.
    }

    /**
     * Loads what is short and drops what is extra; true while replication is under way (loads
     * ordered now or in flight, moves aside), when balancing waits. An item short for want of
     * eligible workers does not hold balancing back.
     */
    boolean replicate() {
        boolean replicating = false;
        List<ItemSpec> items = new ArrayList<>(state.desired().values());
        items.sort(
                Comparator.comparingInt((ItemSpec i) -> validReplicas(i).size())
                        .thenComparing(ItemSpec::id));
        for (ItemSpec item : items) {
            Set<String> valid = validReplicas(item);
            Set<String> loading = commanded(item.id(), LoadCommand.Action.LOAD);
            String source = moves.get(item.id());
            if (source != null
                    && (!state.servedBy(item.id()).contains(source)
                            || loading.isEmpty() && valid.size() <= item.replicas())) {
                moves.remove(item.id()); // done, or its load failed: the move is over
                source = null;
            }
            replicating |= source == null && !loading.isEmpty();
            int need = item.replicas() - valid.size() - loading.size();
            for (String w : need > 0 ? candidates(item) : List.<String>of()) {
                if (need == 0) {
                    break;
                }
                order(Kind.LOAD, item.id(), w);
                replicating = true;
                need--;
            }
            if (valid.size() >= item.replicas() && loading.isEmpty()) {
                dropExtras(item, valid, source);
            }
        }
        return replicating;
    }

    private void dropExtras(ItemSpec item, Set<String> valid, String moveSource) {
        for (String w : current(item.id())) {
            if (!valid.contains(w)) {
                // draining, no longer carrying the item's labels, or an old declaration's
                order(Kind.DROP, item.id(), w);
            }
        }
        int surplus = valid.size() - item.replicas();
        if (surplus <= 0) {
            return;
        }
        List<String> order = new ArrayList<>(valid);
        order.sort(
                Comparator.comparing((String w) -> !w.equals(moveSource))
                        .thenComparing(w -> -load.getOrDefault(w, 0))
                        .thenComparing(w -> w));
        for (int i = 0; i < surplus; i++) {
            order(Kind.DROP, item.id(), order.get(i));
        }
    }

    void balance() {
        int inFlight = moves.size();
        while (inFlight < settings.maxMovesAtOnce()) {
            if (!moveOne()) {
                return;
            }
            inFlight++;
        }
    }

    /**
     * One move from a fuller worker to an emptier one that may hold the item; false if none helps.
     */
    private boolean moveOne() {
        List<String> ids = new ArrayList<>(load.keySet());
        ids.removeIf(w -> workers.get(w).state() != WorkerState.ACTIVE);
        ids.sort(Comparator.comparing((String w) -> load.get(w)).thenComparing(w -> w));
        for (int hi = ids.size() - 1; hi > 0; hi--) {
            String from = ids.get(hi);
            for (int lo = 0; lo < hi && load.get(from) - load.get(ids.get(lo)) > 1; lo++) {
                String to = ids.get(lo);
                if (!mayLoad(to)) {
                    continue;
                }
                for (String itemId : state.servedOn(from)) {
                    ItemSpec item = state.desired().get(itemId);
                    if (item != null
                            && !moves.containsKey(itemId)
                            && state.commandsFor(itemId).isEmpty()
                            && !touched.contains(itemId)
                            && eligible(item, to)
                            && !state.servedBy(itemId).contains(to)) {
                        order(Kind.LOAD, itemId, to);
                        moves.put(itemId, from);
                        load.merge(
                                from, -1, Integer::sum); // it leaves once the new replica is served
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private List<String> candidates(ItemSpec item) {
        Set<String> busy = new HashSet<>(state.servedBy(item.id()));
        busy.addAll(state.commandsFor(item.id()).keySet());
        List<String> out = new ArrayList<>();
        for (WorkerInfo w : workers.values()) {
            if (!busy.contains(w.id()) && eligible(item, w.id()) && mayLoad(w.id())) {
                out.add(w.id());
            }
        }
        out.sort(Comparator.comparing((String w) -> load.get(w)).thenComparing(w -> w));
        return out;
    }

    private boolean eligible(ItemSpec item, String workerId) {
        WorkerInfo w = workers.get(workerId);
        return w != null
                && w.state() == WorkerState.ACTIVE
                && item.servableBy(w)
                && !failures.excluded(item.id(), workerId, now);
    }

    private boolean mayLoad(String workerId) {
        return loadsInFlight.getOrDefault(workerId, 0) < settings.maxLoadsPerWorker()
                && !failures.workerExcluded(workerId, now);
    }

    /** Live workers serving the item, minus those already told to drop it. */
    private Set<String> current(String itemId) {
        Set<String> out = new HashSet<>();
        for (String w : state.servedBy(itemId)) {
            ItemState.Command c = state.command(w, itemId);
            if (workers.containsKey(w) && (c == null || c.action() != LoadCommand.Action.DROP)) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * Current replicas on workers that may keep the item (ACTIVE, carrying its labels), of its
     * current declaration.
     */
    private Set<String> validReplicas(ItemSpec item) {
        Set<String> out = current(item.id());
        out.removeIf(
                w ->
                        workers.get(w).state() != WorkerState.ACTIVE
                                || !item.servableBy(workers.get(w))
                                || !state.currentGeneration(w, item));
        return out;
    }

    private Set<String> commanded(String itemId, LoadCommand.Action action) {
        Set<String> out = new HashSet<>();
        state.commandsFor(itemId)
                .forEach(
                        (w, c) -> {
                            if (c.action() == action && !c.failed() && workers.containsKey(w)) {
                                out.add(w);
                            }
                        });
        return out;
    }

    private void order(Kind kind, String itemId, String workerId) {
        orders.add(new Order(kind, itemId, workerId));
        touched.add(itemId);
        if (kind == Kind.LOAD) {
            load.merge(workerId, 1, Integer::sum);
            loadsInFlight.merge(workerId, 1, Integer::sum);
        } else if (kind == Kind.DROP) {
            load.merge(workerId, -1, Integer::sum);
        }
    }
}
