package io.drover.coordinator.internal;

import io.drover.model.DroverJson;
import io.drover.model.LiveCounts;
import io.drover.protocol.ZooKeeperCalls;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes, at {@code leader/live}, how many live tasks each capped type has: the pending ones in
 * the index plus the assigned and running ones in the view, which the leader holds anyway, so
 * counting costs no ZooKeeper read. Written (behind the epoch check) only when a count changed and
 * at most once per run, which {@link Housekeeping} schedules every second. Submitters read it to
 * enforce {@code TypePolicy.maxLiveTasks}. Leader thread only.
 */
final class LiveCountPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCountPublisher.class);

    private final LeaderContext ctx;
    private final Supplier<Map<String, Long>> caps;
    private final Supplier<Map<String, Long>> pending;
    private Map<String, LiveCounts.TypeCount> published; // null: nothing written this term
    private boolean writing;

    LiveCountPublisher(
            LeaderContext ctx,
            Supplier<Map<String, Long>> caps,
            Supplier<Map<String, Long>> pending) {
        this.ctx = ctx;
        this.caps = caps;
        this.pending = pending;
    }

    void publish() {
        Map<String, Long> capped = caps.get();
        if (writing || (capped.isEmpty() && published == null)) {
            return; // a cluster without type caps writes nothing
        }
        Map<String, Long> waiting = pending.get();
        Map<String, LiveCounts.TypeCount> counts = new HashMap<>();
        capped.forEach(
                (type, max) ->
                        counts.put(
                                type,
                                new LiveCounts.TypeCount(
                                        waiting.getOrDefault(type, 0L)
                                                + ctx.view().outstanding(type),
                                        max)));
        if (counts.equals(published)) {
            return;
        }
        byte[] data =
                DroverJson.encode(
                        new LiveCounts(
                                LiveCounts.FORMAT_VERSION,
                                ctx.term().epoch(),
                                System.currentTimeMillis(),
                                counts));
        String path = ctx.paths().liveCounts();
        writing = true;
        try {
            ctx.writer()
                    .submit(List.of(ctx.op().setData().forPath(path, data)))
                    .exceptionallyCompose(
                            e -> {
                                if (ZooKeeperCalls.unwrap(e)
                                        instanceof KeeperException.NoNodeException) {
                                    try {
                                        return ctx.writer()
                                                .submit(
                                                        List.of(
                                                                ctx.op()
                                                                        .create()
                                                                        .forPath(path, data)));
                                    } catch (Exception again) {
                                        return java.util.concurrent.CompletableFuture.failedFuture(
                                                again);
                                    }
                                }
                                return java.util.concurrent.CompletableFuture.failedFuture(e);
                            })
                    .whenCompleteAsync(
                            (r, e) -> {
                                writing = false;
                                if (e == null) {
                                    published = counts;
                                } else if (!ctx.writer().lost()) {
                                    LOG.debug(
                                            "could not publish live counts: {}",
                                            ZooKeeperCalls.unwrap(e).toString());
                                }
                            },
                            ctx.executor());
        } catch (Exception e) {
            writing = false;
            LOG.warn("cannot build the live counts write: {}", e.toString());
        }
    }
}
