package io.drover.coordinator.internal;

import io.drover.model.DroverPaths;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's one watch on {@code workers/}: announcements go to the {@link WorkerRoster}; a
 * worker node that vanishes has its attempts verified by {@link Recovery}. A worker node vanishes
 * when its session ends, even if the worker comes back at once with a new session, so this one
 * event covers both a dead worker and a worker whose claims died with its session; the leader does
 * not watch claims, which would cost two events per task. Callbacks run on the leader's thread,
 * each guarded so that one bad node is skipped.
 */
final class WorkerWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerWatch.class);

    private final LeaderContext ctx;
    private final WorkerRoster roster;
    private final Recovery recovery;
    private final Runnable changed;
    private final BooleanSupplier ready;
    private final CuratorCache cache;

    WorkerWatch(
            LeaderContext ctx,
            WorkerRoster roster,
            Recovery recovery,
            Runnable changed,
            BooleanSupplier ready) {
        this.ctx = ctx;
        this.roster = roster;
        this.recovery = recovery;
        this.changed = changed;
        this.ready = ready;
        this.cache = CuratorCache.build(ctx.client(), ctx.paths().workers());
    }

    /**
     * Starts watching; {@code initialized} runs on the leader's thread once the first listing is
     * in.
     */
    void start(Runnable initialized) {
        cache.listenable()
                .addListener(
                        CuratorCacheListener.builder()
                                .forCreatesAndChanges(
                                        (old, node) ->
                                                ctx.corrupt()
                                                        .guard(
                                                                node.getPath(),
                                                                -1,
                                                                () -> roster.upserted(node)))
                                .forDeletes(
                                        node ->
                                                ctx.corrupt()
                                                        .guard(
                                                                node.getPath(),
                                                                -1,
                                                                () -> gone(node.getPath())))
                                .forInitialized(initialized)
                                .build(),
                        ctx.executor());
        cache.start();
    }

    private void gone(String path) {
        if (path.equals(ctx.paths().workers())) {
            return;
        }
        String workerId = DroverPaths.nodeName(path);
        changed.run(); // its items move; broadcast responses pending for it fail
        if (roster.removed(path) && ready.getAsBoolean()) {
            LOG.info(
                    "worker {} is gone; recovering its {} assignments",
                    workerId,
                    ctx.view().assignmentsOf(workerId).size());
            ctx.view().assignmentsOf(workerId).forEach(recovery::verify);
        }
    }

    @Override
    public void close() {
        cache.close();
    }
}
