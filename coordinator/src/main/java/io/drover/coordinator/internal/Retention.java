package io.drover.coordinator.internal;

import io.drover.model.PendingKey;
import io.drover.protocol.RetentionTransitions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes terminal tasks once they are older than the retention time, and the oldest ones beyond
 * the retained count, in fenced batches. It reads the names in the {@code done/} index (finish time
 * and id), never a task's data, and hands the listed ids to the {@link EndedTally}. Leader thread
 * only; blocking listing, a few times a minute.
 */
final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

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

    private record Done(long finishedAtMs, String taskId, String path) {}

    private final long retentionMs;
    private final int maxRetained;
    private final RetentionTransitions transitions;
    private volatile boolean running;

    Retention(LeaderContext ctx, long retentionMs, int maxRetained, Guard guard) {
        this.ctx = ctx;
        this.guard = guard;
        this.retentionMs = retentionMs;
        this.maxRetained = maxRetained;
        this.transitions = new RetentionTransitions(ctx.client(), ctx.paths());
    }

    /** Returns how many tasks it set out to delete. */
    int collect() {
        if (running || !guard.settled()) {
            return 0; // the previous round's deletes are still going, or a new term reads
        }
        List<Done> all = list();
        if (all == null) {
            return 0;
        }
        long cutoff = System.currentTimeMillis() - retentionMs;
        all.sort(Comparator.comparingLong(Done::finishedAtMs));
        int overCount = Math.max(0, all.size() - maxRetained);
        List<Done> doomed = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (i < overCount || all.get(i).finishedAtMs() < cutoff) {
                if (!guard.needed(all.get(i).taskId())) {
                    doomed.add(all.get(i)); // else a waiting dependent will read its result
                }
            } else {
                break;
            }
        }
        if (doomed.isEmpty()) {
            return 0;
        }
        running = true;
        List<java.util.concurrent.CompletableFuture<?>> deletes = new ArrayList<>(doomed.size());
        for (Done d : doomed) {
            deletes.add(delete(d));
        }
        java.util.concurrent.CompletableFuture.allOf(
                        deletes.toArray(java.util.concurrent.CompletableFuture[]::new))
                .whenComplete((v, e) -> running = false);
        LOG.info(
                "retention deletes {} terminal tasks ({} retained)",
                doomed.size(),
                all.size() - doomed.size());
        return doomed.size();
    }

    /**
     * Lists the index for the tally of ended tasks alone: at the start of a term, so that the
     * counts by state need not wait for the first collection.
     */
    void tally() {
        list();
    }

    /** Every index entry, handed to the tally too; null if the listing failed. */
    private List<Done> list() {
        List<Done> all = new ArrayList<>();
        try {
            for (String bucket : ctx.paths().buckets(ctx.paths().done())) {
                for (String name : ctx.client().getChildren().forPath(bucket)) {
                    long at = PendingKey.timeOfDone(name);
                    String taskId = PendingKey.taskIdOfDone(name);
                    if (at >= 0 && taskId != null) {
                        all.add(new Done(at, taskId, bucket + "/" + name));
                    }
                }
            }
        } catch (Exception e) {
            LOG.warn("retention could not list {}: {}", ctx.paths().done(), e.toString());
            return null;
        }
        ctx.ended().reconcile(all.stream().map(Done::taskId).toList());
        return all;
    }

    /**
     * Retires a task only if its status, read now, is terminal, only at the version read, and only
     * with no assignment or pending entry left: a {@code done/} entry and a status are a worker's
     * word (workers write both when they commit, and ZooKeeper's ACLs cannot tie them to the claim
     * holder), and every genuine end removes the assignment or the entry in the same multi. An
     * index entry whose task is gone or not over is dropped alone.
     */
    private java.util.concurrent.CompletableFuture<?> delete(Done d) {
        if (ctx.view().workerOf(d.taskId()) != null) {
            LOG.warn(
                    "task {} has a retention index entry but is still assigned; kept (recovery"
                            + " discards an end its worker did not write)",
                    d.taskId());
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        var status = ctx.store().status(d.taskId());
        var spec = ctx.store().spec(d.taskId());
        // Decided on the leader's thread, after the reads: a dependent whose entry was created
        // before they were answered has been seen by then (watch events come first).
        return status.thenCombineAsync(spec, (st, sp) -> retire(d, st, sp), ctx.executor())
                .thenCompose(f -> f)
                .exceptionally(e -> null); // a race or a lost connection: the next round again
    }

    private java.util.concurrent.CompletableFuture<?> retire(
            Done d,
            java.util.Optional<io.drover.model.Versioned<io.drover.model.TaskStatus>> status,
            java.util.Optional<io.drover.model.TaskSpec> spec) {
        try {
            if (!guard.settled() || guard.needed(d.taskId())) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
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
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }
}
