package io.drover.coordinator.internal;

import io.drover.model.LiveCounts;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.store.TaskStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's count of retained ended tasks by state (SUCCEEDED, FAILED, CANCELLED), published
 * with the live counts for {@code GET /v1/cluster}. Exact, at no cost per task beyond one status
 * read when an assignment ends (which the breakers share): the retention index names tell how many
 * tasks ended but not how, so the leader remembers the state of each retained one (an id and a
 * state: a few MB at the default cap of 100,000 retained tasks). It learns a state when an
 * assignment ends (the status read then), when it cancels a pending task itself, and, as the safety
 * net, whenever retention lists the index: what left the index is forgotten, and what the leader
 * does not know yet (every retained task at the start of a term, anything it missed) is read, a
 * chunk at a time. The counts are withheld until the first such pass of the term has classified
 * every listed task.
 *
 * <p>Leader thread only.
 */
final class EndedTally {
    private static final Logger LOG = LoggerFactory.getLogger(EndedTally.class);

    /** Status reads in flight at once while classifying what the index holds. */
    private static final int CHUNK = 500;

    private final TaskStore store;
    private final Executor executor;
    private final Map<String, TaskState> states = new HashMap<>();
    private final Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
    private final List<java.util.function.BiConsumer<String, TaskState>> listeners =
            new ArrayList<>();

    /** Ids observed since the listing under way began, which it may have missed; else null. */
    private Set<String> sinceListing;

    private boolean classifying;
    private boolean complete;
    private boolean listed;

    EndedTally(TaskStore store, Executor executor) {
        this.store = store;
        this.executor = executor;
    }

    /**
     * Also tells {@code listener} of every state observed (dependencies and graphs follow ends this
     * way).
     */
    void listen(java.util.function.BiConsumer<String, TaskState> listener) {
        listeners.add(listener);
    }

    /**
     * The task's status was read in this state, or the leader ended it so. A state that is not an
     * end (a retry, a task sent back to pending) takes the task out. Idempotent.
     */
    void observed(String taskId, TaskState state) {
        count(taskId, state);
        listeners.forEach(l -> l.accept(taskId, state));
    }

    private void count(String taskId, TaskState state) {
        if (sinceListing != null) {
            sinceListing.add(taskId);
        }
        if (!state.isTerminal()) {
            retired(taskId);
            return;
        }
        TaskState before = states.put(taskId, state);
        if (before != state) {
            add(before, -1);
            add(state, 1);
        }
    }

    /** Retention deleted the task, or it is no longer ended. */
    void retired(String taskId) {
        add(states.remove(taskId), -1);
    }

    /** Whether a listing of the index has been handed over this term. */
    boolean listed() {
        return listed;
    }

    /**
     * A listing of the index begins, off the leader's thread: a task that ends while it runs may be
     * missing from it, and must not be forgotten for that.
     */
    void listingBegins() {
        sinceListing = new HashSet<>();
    }

    /** The listing that began failed. */
    void listingFailed() {
        sinceListing = null;
    }

    /**
     * The retention index as just listed: forgets the tasks that left it and reads the statuses of
     * the ones not known yet. A pass still reading makes this one a no-op.
     */
    void reconcile(Set<String> present) {
        Set<String> fresh = sinceListing == null ? Set.of() : sinceListing;
        sinceListing = null;
        if (classifying) {
            return;
        }
        listed = true;
        for (String id : new ArrayList<>(states.keySet())) {
            if (!present.contains(id) && !fresh.contains(id)) {
                retired(id);
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String id : present) {
            if (!states.containsKey(id)) {
                unknown.add(id);
            }
        }
        classifying = true;
        classify(unknown, 0, true);
    }

    /** Reads the statuses of {@code ids} from {@code from} on, a chunk at a time. */
    private void classify(List<String> ids, int from, boolean allRead) {
        if (from >= ids.size()) {
            classifying = false;
            complete |= allRead;
            return;
        }
        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
        List<CompletableFuture<Optional<Versioned<TaskStatus>>>> reads =
                new ArrayList<>(chunk.size());
        chunk.forEach(id -> reads.add(store.status(id)));
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                .handleAsync(
                        (v, e) -> {
                            boolean ok = allRead;
                            for (int i = 0; i < chunk.size(); i++) {
                                String id = chunk.get(i);
                                try {
                                    reads.get(i)
                                            .join()
                                            .map(Versioned::value)
                                            .ifPresent(s -> observed(id, s.state()));
                                } catch (RuntimeException failed) {
                                    ok = false; // unreadable or a lost connection: next pass
                                }
                            }
                            if (!ok && allRead) {
                                LOG.debug("some ended tasks could not be classified; next pass");
                            }
                            classify(ids, from + CHUNK, ok);
                            return null;
                        },
                        executor);
    }

    /** The counts, or null until the first pass of the term has classified every listed task. */
    LiveCounts.EndedCounts counts() {
        if (!complete) {
            return null;
        }
        return new LiveCounts.EndedCounts(
                counts.getOrDefault(TaskState.SUCCEEDED, 0L),
                counts.getOrDefault(TaskState.FAILED, 0L),
                counts.getOrDefault(TaskState.CANCELLED, 0L));
    }

    private void add(TaskState state, long delta) {
        if (state != null) {
            counts.merge(state, delta, Long::sum);
        }
    }
}
