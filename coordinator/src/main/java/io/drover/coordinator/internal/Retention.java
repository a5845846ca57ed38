package io.drover.coordinator.internal;

import io.drover.protocol.RetentionTransitions;
import io.drover.protocol.runtime.NamedThreads;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes terminal tasks once they are older than the retention time, and the oldest ones beyond
 * the retained count, in fenced batches. It reads the names in the {@code done/} index (finish time
 * and id), never a task's data, and hands the listed ids to the {@link EndedTally}.
 *
 * <p>Sized so that a large index never stalls dispatch: the listing, parsing and sorting run on a
 * thread of their own ({@code drover-retention-e<epoch>}), and only the result comes to the
 * leader's thread ({@link DoneScan}), which deletes what is due {@link #IN_FLIGHT} at a time; the
 * next round lists the index again at the first collection after the last deletion. Leader thread
 * only, apart from {@link #close()}.
 */
final class Retention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** Retirements (two reads and a multi each) out at once. */
    static final int IN_FLIGHT = 500;

    /**
     * What retention must keep: the tasks whose results a waiting dependent still needs, and the
     * responses a gathering broadcast has yet to read. Leader thread only.
     */
    interface Guard {
        /** False while the leader may not know every waiting task yet: delete nothing then. */
        boolean settled();

        boolean needed(String taskId);

        /** This guard, also keeping what {@code alsoNeeded} names (broadcast responses). */
        default Guard keeping(java.util.function.Predicate<String> alsoNeeded) {
            Guard self = this;
            return new Guard() {
                @Override
                public boolean settled() {
                    return self.settled();
                }

                @Override
                public boolean needed(String taskId) {
                    return self.needed(taskId) || alsoNeeded.test(taskId);
                }
            };
        }
    }

    private final LeaderContext ctx;
    private final Guard guard;
    private final long retentionMs;
    private final int maxRetained;
    private final RetentionTransitions transitions;
    private final ExecutorService lister;
    private final ArrayDeque<DoneScan.Entry> due = new ArrayDeque<>();
    private boolean listing;
    private int inFlight;

    Retention(LeaderContext ctx, long retentionMs, int maxRetained, Guard guard) {
        this.ctx = ctx;
        this.guard = guard;
        this.retentionMs = retentionMs;
        this.maxRetained = maxRetained;
        this.transitions = new RetentionTransitions(ctx.client(), ctx.paths());
        this.lister =
                Executors.newSingleThreadExecutor(
                        new NamedThreads("drover-retention-e" + ctx.term().epoch()));
    }

    /**
     * Starts a round: lists the index on the listing thread, then deletes what is due. A round
     * still under way, or a term that may not know every waiting task yet, makes this a no-op.
     */
    void collect() {
        if (!busy() && guard.settled()) {
            list(true);
        }
    }

    /**
     * Lists the index for the tally of ended tasks alone: at the start of a term, so that the
     * counts by state need not wait for the first collection.
     */
    void tally() {
        if (!busy()) {
            list(false);
        }
    }

    private boolean busy() {
        return listing || inFlight > 0 || !due.isEmpty();
    }

    private void list(boolean delete) {
        listing = true;
        ctx.ended().listingBegins();
        long startedMs = System.currentTimeMillis();
        long cutoffMs = startedMs - retentionMs;
        CompletableFuture<DoneScan> scanned;
        try {
            scanned =
                    CompletableFuture.supplyAsync(
                            () -> DoneScan.of(read(), cutoffMs, maxRetained, delete), lister);
        } catch (RejectedExecutionException termEnded) {
            listing = false;
            ctx.ended().listingFailed();
            return;
        }
        scanned.whenCompleteAsync(
                (scan, failed) -> {
                    listing = false;
                    if (failed != null) {
                        ctx.ended().listingFailed();
                        Throwable why = failed.getCause() != null ? failed.getCause() : failed;
                        LOG.warn("retention could not list its index: {}", why.getMessage());
                        return;
                    }
                    ctx.ended().reconcile(scan.indexed());
                    for (DoneScan.Entry d : scan.doomed()) {
                        if (!guard.needed(d.taskId())) { // else a waiting dependent reads it
                            due.add(d);
                        }
                    }
                    if (!due.isEmpty()) {
                        LOG.info(
                                "retention deletes {} terminal tasks ({} retained; listed in {}"
                                        + " ms)",
                                due.size(),
                                scan.indexed().size() - due.size(),
                                System.currentTimeMillis() - startedMs);
                        pump();
                    }
                },
                ctx.executor());
    }

    /** On the listing thread: every bucket's names. */
    private Map<String, List<String>> read() {
        Map<String, List<String>> names = new LinkedHashMap<>();
        for (String bucket : ctx.paths().buckets(ctx.paths().done())) {
            try {
                names.put(bucket, ctx.client().getChildren().forPath(bucket));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt(); // the term is closing
                }
                throw new IllegalStateException(bucket + ": " + e, e);
            }
        }
        return names;
    }

    /** Keeps {@link #IN_FLIGHT} retirements out until none is due. */
    private void pump() {
        while (inFlight < IN_FLIGHT && !due.isEmpty()) {
            DoneScan.Entry d = due.poll();
            inFlight++;
            CompletableFuture<?> retired;
            try {
                retired = delete(d);
            } catch (RuntimeException e) { // the term is closing: its stores refuse
                retired = CompletableFuture.completedFuture(null);
            }
            retired.whenCompleteAsync(
                    (v, e) -> {
                        inFlight--;
                        pump();
                    },
                    ctx.executor());
        }
    }

    @Override
    public void close() {
        lister.shutdownNow(); // a listing under way is of no use to the next term
    }

    /**
     * Retires a task only if its status, read now, is terminal, only at the version read, and only
     * with no assignment or pending entry left: a {@code done/} entry and a status are a worker's
     * word (workers write both when they commit, and ZooKeeper's ACLs cannot tie them to the claim
     * holder), and every genuine end removes the assignment or the entry in the same multi. An
     * index entry whose task is gone or not over is dropped alone.
     */
    private CompletableFuture<?> delete(DoneScan.Entry d) {
        if (ctx.view().workerOf(d.taskId()) != null) {
            LOG.warn(
                    "task {} has a retention index entry but is still assigned; kept (recovery"
                            + " discards an end its worker did not write)",
                    d.taskId());
            return CompletableFuture.completedFuture(null);
        }
        var status = ctx.store().status(d.taskId());
        var spec = ctx.store().spec(d.taskId());
        // Decided on the leader's thread, after the reads: a dependent whose entry was created
        // before they were answered has been seen by then (watch events come first).
        return status.thenCombineAsync(spec, (st, sp) -> retire(d, st, sp), ctx.executor())
                .thenCompose(f -> f)
                .exceptionally(e -> null); // a race or a lost connection: the next round again
    }

    private CompletableFuture<?> retire(
            DoneScan.Entry d,
            java.util.Optional<io.drover.model.Versioned<io.drover.model.TaskStatus>> status,
            java.util.Optional<io.drover.model.TaskSpec> spec) {
        try {
            if (!guard.settled() || guard.needed(d.taskId())) {
                return CompletableFuture.completedFuture(null);
            }
            if (status.isPresent()
                    && spec.isPresent()
                    && status.get().value().state().isTerminal()) {
                return ctx.writer()
                        .submit(transitions.retire(spec.get(), status.get().version(), d.path()))
                        .thenRunAsync(() -> ctx.ended().retired(d.taskId()), ctx.executor());
            }
            if (status.isPresent() && !status.get().value().state().isTerminal()) {
                LOG.warn(
                        "retention index entry {} names task {}, which is {}: dropping the entry,"
                                + " keeping the task",
                        d.path(),
                        d.taskId(),
                        status.get().value().state());
            }
            return ctx.writer().submit(transitions.retireIndexEntry(d.path()));
        } catch (Exception e) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
