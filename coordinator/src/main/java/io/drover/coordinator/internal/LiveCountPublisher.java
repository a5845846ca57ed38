package io.drover.coordinator.internal;

import io.drover.model.DroverJson;
import io.drover.model.LiveCounts;
import io.drover.protocol.ZooKeeperCalls;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes, at {@code leader/live}, how many live tasks each capped type and each principal has,
 * the bytes of their specs, every type's pending and in-flight tasks (for {@code GET /v1/types}),
 * the types their rate limit holds back (for {@code explain}) and the retained ended tasks by state
 * ({@link EndedTally}, for {@code GET /v1/cluster}). The live ones are the pending ones in the
 * index, the waiting ones ({@link WaitingTally}) and the assigned and running ones in the view,
 * which the leader holds anyway, so counting costs no ZooKeeper read (the index keeps its counts as
 * entries come and go; the assignments are at most the workers' slots). Written (behind the epoch
 * check) only when a count changed and at most once per run, which {@link Housekeeping} schedules
 * every second; an idle cluster without caps or retained tasks writes nothing. Submitters read it
 * to enforce the caps per type, per principal and on bytes. Leader thread only.
 */
final class LiveCountPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCountPublisher.class);

    private final LeaderContext ctx;
    private final Supplier<Map<String, Long>> caps;
    private final Supplier<List<String>> rateLimited;
    private final PendingIndex pending;
    private final WaitingTally waiting;
    private LiveCounts published; // null: nothing written this term
    private boolean writing;

    LiveCountPublisher(
            LeaderContext ctx,
            Supplier<Map<String, Long>> caps,
            Supplier<List<String>> rateLimited,
            PendingIndex pending,
            WaitingTally waiting) {
        this.ctx = ctx;
        this.caps = caps;
        this.rateLimited = rateLimited;
        this.pending = pending;
        this.waiting = waiting;
    }

    void publish() {
        if (writing) {
            return;
        }
        LiveCounts counts = count();
        if (published == null
                ? counts.types().isEmpty()
                        && counts.principals().isEmpty()
                        && counts.specBytes() == 0
                        && counts.tasksByType().isEmpty()
                        && (counts.ended() == null
                                || counts.ended().equals(new LiveCounts.EndedCounts(0, 0, 0)))
                : sameCounts(published, counts)) {
            return;
        }
        byte[] data = DroverJson.encode(counts);
        String path = ctx.paths().liveCounts();
        writing = true;
        try {
            ctx.writer()
                    .submit(List.of(ctx.op().setData().forPath(path, data)))
                    .exceptionallyCompose(e -> createIfMissing(e, path, data))
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

    private LiveCounts count() {
        Map<String, Long> byType = pending.countByType();
        Map<String, Long> byPrincipal = new HashMap<>(pending.countByPrincipal());
        long bytes = pending.specBytes() + waiting.specBytes();
        // Tasks waiting for dependencies are live too: they hold their place under the caps until
        // they end. (A gathering broadcast counts in the cluster's cap, not in its type's.)
        Map<String, Long> liveByType = new HashMap<>(byType);
        waiting.byType().forEach((t, n) -> liveByType.merge(t, n, Long::sum));
        waiting.byPrincipal().forEach((p, n) -> byPrincipal.merge(p, n, Long::sum));
        // Assigned and running tasks: at most the workers' slots, so a pass costs little.
        for (ClusterView.Held h : ctx.view().held()) {
            bytes += tally(byPrincipal, h.submittedBy(), h.specBytes());
        }
        Map<String, LiveCounts.TypeCount> types = new HashMap<>();
        caps.get()
                .forEach(
                        (type, max) ->
                                types.put(
                                        type,
                                        new LiveCounts.TypeCount(
                                                liveByType.getOrDefault(type, 0L)
                                                        + ctx.view().outstanding(type),
                                                max)));
        return new LiveCounts(
                LiveCounts.FORMAT_VERSION,
                ctx.term().epoch(),
                System.currentTimeMillis(),
                types,
                byPrincipal,
                bytes,
                tasksByType(byType, ctx.view().assignedByType()),
                ctx.ended().counts(),
                rateLimited.get());
    }

    /**
     * Pending and in-flight tasks per type, for {@code GET /v1/types}; the busiest {@link
     * LiveCounts#MAX_TYPES_LISTED} types when there are more, so the node stays small.
     */
    static Map<String, LiveCounts.TypeTasks> tasksByType(
            Map<String, Long> pendingByType, Map<String, Integer> runningByType) {
        Map<String, LiveCounts.TypeTasks> all = new HashMap<>();
        pendingByType.forEach(
                (type, n) ->
                        all.put(
                                type,
                                new LiveCounts.TypeTasks(n, runningByType.getOrDefault(type, 0))));
        runningByType.forEach((type, n) -> all.putIfAbsent(type, new LiveCounts.TypeTasks(0, n)));
        if (all.size() <= LiveCounts.MAX_TYPES_LISTED) {
            return all;
        }
        Map<String, LiveCounts.TypeTasks> busiest = new HashMap<>();
        all.entrySet().stream()
                .sorted(
                        java.util.Comparator.comparingLong(
                                (Map.Entry<String, LiveCounts.TypeTasks> e) ->
                                        -(e.getValue().pending() + e.getValue().running())))
                .limit(LiveCounts.MAX_TYPES_LISTED)
                .forEach(e -> busiest.put(e.getKey(), e.getValue()));
        return busiest;
    }

    private CompletableFuture<
                    List<org.apache.curator.framework.api.transaction.CuratorTransactionResult>>
            createIfMissing(Throwable e, String path, byte[] data) {
        if (!(ZooKeeperCalls.unwrap(e) instanceof KeeperException.NoNodeException)) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            return ctx.writer().submit(List.of(ctx.op().create().forPath(path, data)));
        } catch (Exception again) {
            return CompletableFuture.failedFuture(again);
        }
    }

    private static long tally(Map<String, Long> byPrincipal, String principal, long bytes) {
        if (principal != null) {
            byPrincipal.merge(principal, 1L, Long::sum);
        }
        return bytes;
    }

    private static boolean sameCounts(LiveCounts a, LiveCounts b) {
        return a.types().equals(b.types())
                && a.principals().equals(b.principals())
                && a.tasksByType().equals(b.tasksByType())
                && java.util.Objects.equals(a.ended(), b.ended())
                && a.rateLimited().equals(b.rateLimited())
                && a.specBytes() == b.specBytes();
    }
}
