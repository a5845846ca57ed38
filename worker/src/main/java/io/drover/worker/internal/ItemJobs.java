package io.drover.worker.internal;

import io.drover.model.DroverPaths;
import io.drover.model.ItemSpec;
import io.drover.protocol.runtime.NamedThreads;
import io.drover.worker.ItemHandler;
import io.drover.worker.WorkerConfig;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;

/**
 * What the item jobs of one worker share: their pool ({@code drover-worker-<id>-items-N}), the
 * handler call, what the handler holds and what this session announces, and the way back to the
 * agent when a job is over. Apart from {@link ItemAgent} so that a job sees only this, not the
 * agent's queue and per-item decisions. Thread-safe.
 */
final class ItemJobs {
    private final String workerId;
    private final WorkerConfig.ItemSettings settings;
    private final CuratorFramework client;
    private final DroverPaths paths;
    private final Executor events;
    private final ScheduledExecutorService timer;
    private final ExecutorService pool;
    private final ServedNodes servedNodes;
    private final ItemHandlerCall handlerCall;
    private final Consumer<ItemJob> done;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Item id to its running job. Written on the event thread, read anywhere. */
    private final Map<String, ItemJob> running = new ConcurrentHashMap<>();

    /** Items the handler holds (loaded, not yet dropped), with the declaration loaded. */
    private final Map<String, ItemSpec> loaded = new ConcurrentHashMap<>();

    /** Items whose {@code served} node exists for the current session, as far as we know. */
    private final Set<String> announced = ConcurrentHashMap.newKeySet();

    /**
     * @param done called on the event thread when a job is over
     */
    ItemJobs(WorkerContext ctx, ItemHandler handler, Consumer<ItemJob> done) {
        this.workerId = ctx.workerId();
        this.settings = ctx.config().items();
        this.client = ctx.client();
        this.paths = ctx.paths();
        this.events = ctx.events();
        this.timer = ctx.timer();
        this.done = done;
        this.servedNodes = new ServedNodes(client, paths, workerId, ctx.sessionId());
        this.handlerCall = new ItemHandlerCall(handler, timer, settings.timeout(), closed::get);
        this.pool =
                Executors.newFixedThreadPool(
                        settings.concurrency(),
                        new NamedThreads("drover-worker-" + workerId + "-items"));
    }

    /** Runs a job on the pool; event thread. */
    void run(ItemJob job) {
        if (closed.get()) {
            return;
        }
        running.put(job.id(), job);
        execute(job::run);
    }

    Map<String, ItemJob> running() {
        return running;
    }

    String workerId() {
        return workerId;
    }

    WorkerConfig.ItemSettings settings() {
        return settings;
    }

    CuratorFramework client() {
        return client;
    }

    DroverPaths paths() {
        return paths;
    }

    Map<String, ItemSpec> loaded() {
        return loaded;
    }

    Set<String> announced() {
        return announced;
    }

    ItemHandlerCall handlerCall() {
        return handlerCall;
    }

    ServedNodes servedNodes() {
        return servedNodes;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** The job is over: the next command for its item may start. Any thread. */
    void finish(ItemJob job) {
        try {
            events.execute(
                    () -> {
                        running.remove(job.id(), job);
                        done.accept(job);
                    });
        } catch (RejectedExecutionException closing) {
            // closed
        }
    }

    /** Runs {@code r} on the pool after {@code delayMs}. */
    void schedule(Runnable r, long delayMs) {
        try {
            timer.schedule(() -> execute(r), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closed
        }
    }

    private void execute(Runnable r) {
        try {
            pool.execute(r);
        } catch (RejectedExecutionException closing) {
            // closed: nothing more to do
        }
    }

    /**
     * Stops the pool (interrupting handlers) and waits a little; false if it was closed already.
     */
    boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
