package io.drover.server.internal.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.model.TaskState;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests waiting for tasks to end ({@code ?wait=}), told by the coordinator's shared {@link
 * EventLog}: one cursor on one named thread serves them all, so a waiting request costs an entry in
 * a map, not a ZooKeeper watch nor a thread. A waiter hears of its task when an event says the task
 * ended, and every waiter hears after a gap (notifications may have been missed), so that it reads
 * the status again. Hearing is a hint: the waiter reads the status to know.
 *
 * <p>Thread-safe. Callbacks run on the dispatcher thread and must not block. Lifecycle: {@link
 * #start()} once, {@link #close()} idempotent.
 */
public final class TaskWaiters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskWaiters.class);
    private static final int READ_BATCH = 512;
    private static final long IDLE_CHECK_MS = 1_000;

    /** One waiting request; closing it (idempotent) stops its callbacks. */
    public final class Registration implements AutoCloseable {
        private final String taskId;
        private final Runnable onChange;

        private Registration(String taskId, Runnable onChange) {
            this.taskId = taskId;
            this.onChange = onChange;
        }

        @Override
        public void close() {
            byTask.computeIfPresent(
                    taskId,
                    (id, set) -> {
                        if (set.remove(this)) {
                            count.decrementAndGet();
                        }
                        return set.isEmpty() ? null : set;
                    });
        }
    }

    private final EventLog log;
    private final int maxWaiters;
    private final Map<String, Set<Registration>> byTask = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final Thread dispatcher;
    private volatile boolean closed;

    public TaskWaiters(EventLog log, int maxWaiters) {
        this.log = log;
        this.maxWaiters = maxWaiters;
        this.dispatcher = new Thread(this::dispatch, "drover-task-waiters");
        dispatcher.setDaemon(true);
    }

    public void start() {
        dispatcher.start();
    }

    /**
     * Calls {@code onChange} (on the dispatcher thread; it must not block) whenever the task may
     * have ended. Null when {@code maxWaiters} requests wait already, or after {@link #close()}:
     * the caller answers at once.
     */
    public Registration register(String taskId, Runnable onChange) {
        if (closed) {
            return null;
        }
        if (count.incrementAndGet() > maxWaiters) {
            count.decrementAndGet();
            return null;
        }
        Registration r = new Registration(taskId, onChange);
        // added inside compute, as removals are, so that no registration lands in a set that a
        // concurrent close has just taken out of the map
        byTask.compute(
                taskId,
                (id, set) -> {
                    Set<Registration> s = set != null ? set : ConcurrentHashMap.newKeySet();
                    s.add(r);
                    return s;
                });
        return r;
    }

    /** Requests waiting now. */
    public int waiting() {
        return count.get();
    }

    private void dispatch() {
        long seq = log.start(null).seq();
        try {
            while (!closed && log.awaitBeyond(seq, IDLE_CHECK_MS)) {
                EventLog.Batch batch = log.read(seq, READ_BATCH);
                if (batch.behind()) {
                    // evicted before this thread read it: what it said is lost, as after a gap
                    seq = log.start(null).seq();
                    everyone();
                    continue;
                }
                for (FeedEvent e : batch.events()) {
                    if (FeedEvent.GAP.equals(e.kind())) {
                        everyone();
                    } else if ("task".equals(e.kind())) {
                        Set<Registration> waiting = byTask.get(e.taskId());
                        if (waiting != null && mayHaveEnded(e)) {
                            waiting.forEach(TaskWaiters::tell);
                        }
                    }
                }
                seq = batch.nextSeq();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void everyone() {
        byTask.values().forEach(set -> set.forEach(TaskWaiters::tell));
    }

    private static void tell(Registration r) {
        try {
            r.onChange.run();
        } catch (RuntimeException e) {
            LOG.warn("a task waiter failed: {}", e.toString());
        }
    }

    /** The event's state is terminal, or cannot be told: a read will say. */
    private static boolean mayHaveEnded(FeedEvent e) {
        try {
            JsonNode state = DroverJson.mapper().readTree(e.json()).path("task").path("state");
            return !state.isTextual() || TaskState.valueOf(state.asText()).isTerminal();
        } catch (java.io.IOException | IllegalArgumentException unreadable) {
            return true;
        }
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
    }
}
