package io.drover.server.internal.http;

import io.drover.client.DroverClient;
import io.drover.model.DroverException;
import io.drover.model.InvalidTaskException;
import io.drover.model.ZooKeeperUnavailableException;
import io.drover.protocol.runtime.NamedThreads;
import io.drover.server.api.TaskView;
import io.drover.server.internal.events.EventLog;
import io.drover.server.internal.events.TaskWaiters;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests that wait for a task to end ({@code ?wait=} on {@code POST /v1/tasks} and
 * {@code GET /v1/tasks/{id}}) without holding a Jetty thread: the request is suspended, the
 * coordinator's event feed ({@link TaskWaiters}) says when its task may have ended, and a read of
 * the status decides. The answer is the task as {@code GET /v1/tasks/{id}} shows it, once it ended
 * or once the wait ran out. Beyond {@code api.maxWaiters} waiting requests, and when the server
 * stops, a request is answered at once as if its wait had run out.
 *
 * <p>Thread-safe. Reads and answers run on a small pool of named threads it owns ({@code
 * drover-task-waits}); lifecycle: {@link #start} once the event feed runs, {@link #close()}
 * (idempotent) answers every waiting request and stops the pool.
 */
public final class TaskWaits implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskWaits.class);
    private static final int THREADS = 4;

    private final Supplier<DroverClient> clients;
    private final long maxWaitMs;
    private final int maxWaiters;
    private final ScheduledThreadPoolExecutor pool =
            new ScheduledThreadPoolExecutor(THREADS, new NamedThreads("drover-task-waits"));
    private final Set<Wait> live = ConcurrentHashMap.newKeySet();
    private volatile TaskWaiters waiters;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param maxWaitMs the longest wait a request gets ({@code api.maxWait}); longer ones are cut
     * @param maxWaiters requests that may wait at once ({@code api.maxWaiters})
     */
    public TaskWaits(Supplier<DroverClient> clients, long maxWaitMs, int maxWaiters) {
        this.clients = clients;
        this.maxWaitMs = maxWaitMs;
        this.maxWaiters = maxWaiters;
        pool.setRemoveOnCancelPolicy(true); // an answered wait's timer goes at once
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Waits are told by {@code log} from now on; until then they answer at once. */
    public void start(EventLog log) {
        TaskWaiters w = new TaskWaiters(log, maxWaiters);
        w.start();
        waiters = w;
    }

    /** Requests waiting now. */
    public int waiting() {
        return live.size();
    }

    /**
     * The wait a request asks for in ms, cut to {@code api.maxWait}; null when it asks for none. A
     * duration as in the config files ({@code 500ms}, {@code 30s}, {@code 2m}).
     */
    Long parse(String wait) {
        if (wait == null || wait.isEmpty()) {
            return null;
        }
        try {
            return Math.min(io.dropwizard.util.Duration.parse(wait).toMilliseconds(), maxWaitMs);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskException(
                    "wait",
                    "must be a duration such as 500ms, 30s or 2m (at most "
                            + maxWaitMs
                            + " ms are waited), was '"
                            + TasksResource.clip(wait)
                            + "'");
        }
    }

    /**
     * Answers {@code response} with {@code ended(view)} once the task has ended, or with {@code
     * notYet(view)} after {@code waitMs}. Returns at once.
     */
    void answer(
            AsyncResponse response,
            String taskId,
            long waitMs,
            Function<TaskView, Response> ended,
            Function<TaskView, Response> notYet) {
        Wait w = new Wait(response, taskId, ended, notYet);
        TaskWaiters feed = waiters;
        if (waitMs <= 0 || closed.get() || feed == null) {
            w.finish();
            return;
        }
        live.add(w);
        if (closed.get()) {
            w.finish(); // close() may have answered the others before this one was added
            return;
        }
        w.registration = feed.register(taskId, w::check);
        if (w.registration == null) {
            w.finish(); // as many wait as may: this one is answered as if its wait ran out
            return;
        }
        w.timer = pool.schedule(w::finish, waitMs, TimeUnit.MILLISECONDS);
        if (w.over.get()) {
            w.release(); // it ended while being set up: drop what was set up after the end
        }
        w.check(); // the task may have ended before the registration, unheard
    }

    /** One waiting request. */
    private final class Wait {
        final AsyncResponse response;
        final String taskId;
        final Function<TaskView, Response> ended;
        final Function<TaskView, Response> notYet;
        final AtomicBoolean over = new AtomicBoolean();
        volatile TaskWaiters.Registration registration;
        volatile ScheduledFuture<?> timer;

        Wait(
                AsyncResponse response,
                String taskId,
                Function<TaskView, Response> ended,
                Function<TaskView, Response> notYet) {
            this.response = response;
            this.taskId = taskId;
            this.ended = ended;
            this.notYet = notYet;
        }

        /** The task may have ended: a read says. Never blocks (the feed's thread calls it). */
        void check() {
            DroverClient client = clients.get();
            if (over.get() || client == null) {
                return;
            }
            client.store()
                    .status(taskId)
                    .whenComplete(
                            (s, x) -> {
                                Throwable why =
                                        x instanceof java.util.concurrent.CompletionException
                                                ? x.getCause()
                                                : x;
                                if (why instanceof DroverException d && !d.isRetryable()) {
                                    finish(); // a bad id, a corrupt status: the reply says which
                                } else if (x != null) {
                                    // the connection dropped: the feed's gap calls again
                                    LOG.debug("cannot read task {}: {}", taskId, x.toString());
                                } else if (s.isEmpty() || s.get().value().state().isTerminal()) {
                                    finish();
                                }
                            });
        }

        /** Answers with the task as it is now, once, off the calling thread. */
        void finish() {
            if (!over.compareAndSet(false, true)) {
                return;
            }
            release();
            try {
                pool.execute(this::reply);
            } catch (RejectedExecutionException stopped) {
                response.resume(new ZooKeeperUnavailableException("the server is stopping", null));
            }
        }

        void release() {
            live.remove(this);
            TaskWaiters.Registration r = registration;
            if (r != null) {
                r.close();
            }
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }

        private void reply() {
            try {
                DroverClient client = clients.get();
                if (client == null) {
                    throw new ZooKeeperUnavailableException("the server is still starting", null);
                }
                TaskView v = TaskViews.read(client, taskId);
                response.resume(TaskViews.ended(v) ? ended.apply(v) : notYet.apply(v));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response.resume(new ZooKeeperUnavailableException("the server is stopping", e));
            } catch (RuntimeException e) {
                response.resume(e);
            }
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        TaskWaiters w = waiters;
        if (w != null) {
            w.close();
        }
        live.forEach(Wait::finish);
        pool.shutdown(); // the answers just queued still run
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }
}
