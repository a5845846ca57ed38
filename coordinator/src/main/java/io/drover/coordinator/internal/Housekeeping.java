package io.drover.coordinator.internal;

import io.drover.coordinator.CoordinatorConfig;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The term's timed work: the slow safety net ({@link Reconciler}, with a nudge to the item
 * balancer), garbage collection ({@link Retention}, {@link FolderSweep}), the per-type live counts
 * ({@link LiveCountPublisher}) and the leader's stats ({@link StatsTaker}). Apart from the
 * scheduler because none of it answers an event: it runs on fixed delays, on the leader's thread,
 * and only while the term is ready, to catch what a lost race left and to bound what the cluster
 * keeps.
 */
final class Housekeeping {
    private final CoordinatorConfig config;
    private final ScheduledExecutorService executor;
    private final BooleanSupplier isReady;
    private final ItemBalancer items;
    private final Reconciler reconciler;
    private final Retention retention;
    private final FolderSweep sweep;
    private final LiveCountPublisher liveCounts;
    private final StatsTaker stats;
    private final LeaderContext ctx;
    private final Dependencies dependencies;

    /**
     * @param items the item balancer: the reconcile is its safety net too
     */
    Housekeeping(
            LeaderContext ctx,
            CoordinatorConfig config,
            ScheduledExecutorService executor,
            Recovery recovery,
            Cancellations cancellations,
            ItemBalancer items,
            LiveCountPublisher liveCounts,
            StatsTaker stats,
            Dependencies dependencies,
            java.util.function.Predicate<String> gathered,
            BooleanSupplier isReady) {
        this.dependencies = dependencies;
        this.liveCounts = liveCounts;
        this.stats = stats;
        this.ctx = ctx;
        this.config = config;
        this.executor = executor;
        this.isReady = isReady;
        this.items = items;
        this.retention =
                new Retention(
                        ctx,
                        config.retention().toMillis(),
                        config.maxRetainedTasks(),
                        dependencies.keeping(gathered));
        this.sweep = new FolderSweep(ctx, config.departedWorkerGrace().toMillis());
        this.reconciler = new Reconciler(ctx, recovery, cancellations);
    }

    /** They stop with the term's executor, and {@link #close()}. */
    void start() {
        executor.scheduleWithFixedDelay(
                this::reconcile,
                config.reconcileInterval().toMillis(),
                config.reconcileInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(
                () -> {
                    if (isReady.getAsBoolean()) {
                        if (!ctx.ended().listed()) {
                            retention.tally(); // once a term, not a minute after it starts
                        }
                        liveCounts.publish();
                        stats.take();
                    }
                },
                1,
                1,
                TimeUnit.SECONDS);
        executor.scheduleWithFixedDelay(
                this::collectGarbage,
                config.gcInterval().toMillis(),
                config.gcInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Also run as the term becomes ready: the rebuilt view may hold what an earlier term left
     * undone.
     */
    void reconcile() {
        if (isReady.getAsBoolean()) {
            items.requestPass();
            items.auditCommands(config.reconcileInterval().toMillis());
            reconciler.run();
            dependencies.reconcile();
        }
    }

    /** Stops what runs on threads of its own; the rest stops with the term's executor. */
    void close() {
        retention.close();
    }

    private void collectGarbage() {
        if (isReady.getAsBoolean()) {
            retention.collect();
            sweep.sweep();
        }
    }
}
