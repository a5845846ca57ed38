package io.drover.worker.internal;

import io.drover.worker.WorkerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stopping worker's last duty: give back every attempt it runs, in one go, and wait (bounded by
 * the shutdown timeout) for ZooKeeper to accept, so the leader requeues them at once instead of
 * after the session ends. Apart from the worker's lifecycle because it blocks the closing thread.
 */
final class HandBackOnStop {
    private static final Logger LOG = LoggerFactory.getLogger(HandBackOnStop.class);

    private HandBackOnStop() {}

    /** Blocking, on the closing thread; the hand-backs themselves start on the event thread. */
    static void run(
            WorkerConfig config,
            WorkerAnnouncement announcement,
            Slots slots,
            AttemptFlow flow,
            Executor events,
            boolean connected) {
        // DRAINING first, synchronously: ZooKeeper orders it before the hand-backs, so the leader
        // sees
        // this worker draining before it sees the tasks pending again, and sends them elsewhere.
        announcement.drainingNow(Math.min(2_000, config.shutdownTimeout().toMillis()), connected);
        CompletableFuture<List<CompletableFuture<?>>> started = new CompletableFuture<>();
        events.execute(
                () -> {
                    List<CompletableFuture<?>> writes = new ArrayList<>();
                    slots.forgetQueued();
                    for (Attempt a : slots.running()) {
                        CompletableFuture<?> w = flow.handBack(a);
                        if (w != null) {
                            writes.add(w);
                        }
                    }
                    started.complete(writes);
                });
        try {
            List<CompletableFuture<?>> writes =
                    started.get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                    .get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn(
                    "worker {} could not hand back every task within {}: {}",
                    config.id(),
                    config.shutdownTimeout(),
                    e.toString());
        }
    }
}
