package io.drover.worker.internal;

import io.drover.model.DroverPaths;
import io.drover.model.WorkerState;
import io.drover.worker.WorkerConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's drain: announced DRAINING, it takes nothing new and lets what runs finish; what still
 * runs when the drain grace is over is handed back, to run elsewhere. An operator asks for one by
 * creating {@code drains/<id>} (HTTP API, CLI), and such a drain ends with the worker leaving the
 * cluster. Decisions on the worker's event thread.
 */
final class DrainControl implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DrainControl.class);

    private final WorkerConfig config;
    private final CuratorFramework client;
    private final DroverPaths paths;
    private final ExecutorService events;
    private final ScheduledExecutorService timer;
    private final WorkerAnnouncement announcement;
    private final AttemptFlow flow;
    private final Slots slots;
    private final ItemAgent items;
    private final BooleanSupplier started;
    private final Runnable leave;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    /**
     * Set once the drain grace is over: a drain stops waiting for items to move elsewhere. Event
     * thread only.
     */
    private boolean graceOver;

    private CuratorCache requests;

    /**
     * @param items null without an item handler
     * @param leave closes the worker (called from a thread of its own: close waits for the event
     *     thread)
     */
    DrainControl(
            WorkerContext ctx,
            WorkerAnnouncement announcement,
            AttemptFlow flow,
            Slots slots,
            ItemAgent items,
            BooleanSupplier started,
            Runnable leave) {
        this.config = ctx.config();
        this.client = ctx.client();
        this.paths = ctx.paths();
        this.events = ctx.events();
        this.timer = ctx.timer();
        this.announcement = announcement;
        this.flow = flow;
        this.slots = slots;
        this.items = items;
        this.started = started;
        this.leave = leave;
    }

    /**
     * Watches {@code drains/<id>}. A request left by an earlier process under this id is removed
     * first: a freshly started worker takes work. Blocking.
     */
    void watchRequests() throws Exception {
        try {
            client.delete().forPath(paths.drain(config.id()));
            LOG.info("worker {} cleared a drain request left from an earlier run", config.id());
        } catch (KeeperException.NoNodeException none) {
            // the usual case
        }
        requests =
                CuratorCache.build(
                        client, paths.drain(config.id()), CuratorCache.Options.SINGLE_NODE_CACHE);
        requests.listenable()
                .addListener(
                        CuratorCacheListener.builder()
                                .forCreates(
                                        node -> {
                                            LOG.info("worker {} was asked to drain", config.id());
                                            drain().thenRun(
                                                            () ->
                                                                    new Thread(
                                                                                    () -> {
                                                                                        LOG.info(
                                                                                                "worker {} is drained and leaves the cluster",
                                                                                                config
                                                                                                        .id());
                                                                                        leave.run();
                                                                                    },
                                                                                    "drover-worker-"
                                                                                            + config
                                                                                                    .id()
                                                                                            + "-leave")
                                                                            .start());
                                        })
                                .build(),
                        events);
        requests.start();
    }

    /** Any thread. Completes when nothing runs any more (or the worker closed). */
    CompletableFuture<Void> drain() {
        try {
            events.execute(this::start);
        } catch (RejectedExecutionException closed) {
            // closed meanwhile: close completes the future, since a closed worker runs nothing
        }
        return drained;
    }

    private void start() {
        if (!announcement.draining()) {
            return;
        }
        check();
        if (!drained.isDone()) {
            try {
                timer.schedule(
                        () -> {
                            try {
                                events.execute(this::afterGrace);
                            } catch (RejectedExecutionException closed) {
                                // closed before the grace was over: close handed everything back
                            }
                        },
                        config.drainGrace().toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // the worker is closing: close hands everything back
            }
        }
    }

    /** What still runs when the drain grace is over goes back to pending, to run elsewhere. */
    private void afterGrace() {
        if (drained.isDone() || !started.getAsBoolean()) {
            return;
        }
        // items the leader could not move elsewhere in time stay served until the worker leaves
        graceOver = true;
        LOG.info(
                "worker {}: drain grace of {} is over; handing back {} running tasks",
                config.id(),
                config.drainGrace(),
                slots.runningCount());
        slots.forgetQueued();
        slots.running().forEach(flow::handBack);
        check();
    }

    /**
     * Event thread: completes the drain once nothing runs, waits, or (until the grace is over)
     * holds items.
     */
    void check() {
        if (announcement.state() == WorkerState.DRAINING
                && slots.isEmpty()
                && (items == null || items.isEmpty() || graceOver)) {
            drained.complete(null);
        }
    }

    /**
     * Stops watching and ends any drain; the request node goes too when the worker is still
     * connected.
     */
    void close(boolean removeRequest) {
        drained.complete(null);
        if (requests != null) {
            requests.close();
        }
        if (removeRequest) {
            try {
                client.delete().forPath(paths.drain(config.id())); // served its purpose
            } catch (KeeperException.NoNodeException none) {
                // never asked to drain: the usual case
            } catch (Exception e) {
                LOG.debug(
                        "could not remove drain request",
                        e); // the next worker with this id clears it
            }
        }
    }

    @Override
    public void close() {
        close(false);
    }
}
