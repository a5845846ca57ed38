package io.drover.coordinator;

import java.io.Closeable;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A Drover coordinator. All coordinators stand by on the leader latch; the leader rebuilds its view
 * of the cluster from ZooKeeper, then assigns pending tasks in fenced batches and returns the work
 * of lost workers to pending.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} idempotent; closing a leader yields at
 * once. Thread-safe.
 */
public interface Coordinator extends Closeable {
    static CoordinatorBuilder builder() {
        return new CoordinatorBuilder();
    }

    /**
     * Connects if needed, creates the layout, announces this coordinator and joins the election.
     * Blocking.
     */
    void start();

    String id();

    /**
     * True while this coordinator leads, has rebuilt its view and watches everything it acts on
     * (dispatch, cancellations, dependencies, schedules).
     */
    boolean isLeaderReady();

    /** The epoch of the current term while leading. */
    OptionalLong leaderEpoch();

    /**
     * Completes with the epoch once this coordinator leads and is ready ({@link #isLeaderReady()}).
     * A future for the next term is handed out after a term ends; it never fails, it may simply
     * never complete.
     */
    CompletableFuture<Long> whenLeaderReady();

    /**
     * The znodes this coordinator found corrupt (while leading) and skipped: counts by kind since
     * start, and the ones not since fixed. Thread-safe.
     */
    io.drover.protocol.CorruptNodes corruptNodes();

    /**
     * What the leader last counted in memory (about once a second); empty unless this coordinator
     * leads and is ready. Thread-safe; never blocks.
     */
    java.util.Optional<LeaderStats> leaderStats();

    /** Adds a listener; it hears what happens from then on. Thread-safe. */
    void addListener(CoordinatorListener listener);

    @Override
    void close();
}
