package io.drover.election;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;

/**
 * One term of leadership, fenced by an epoch. The epoch is the version of the epoch znode after
 * this leader bumped it; every write of the term is a {@code multi} that starts with {@link
 * #fenceOp()}, so once a newer leader bumps the epoch ZooKeeper itself rejects this term's writes.
 * The first such rejection ends the term.
 *
 * <p>Thread-safe. A term never restarts: a leader that regains leadership gets a new term with a
 * higher epoch.
 */
public interface LeadershipTerm {
    /** The fencing token of this term; strictly greater than every earlier term's. */
    long epoch();

    /**
     * True until the term ends (latch lost, connection suspended or lost, fence rejected, close).
     */
    boolean isActive();

    /** {@code check(epochPath, epoch)}: put it first in every multi this term writes. */
    CuratorOp fenceOp();

    /**
     * Runs one fenced multi asynchronously: {@link #fenceOp()} then {@code ops}. Fails with {@link
     * io.drover.model.FenceLostException} (and ends the term) if the epoch moved on; fails with the
     * {@link org.apache.zookeeper.KeeperException} of the failing op otherwise. The future
     * completes on the ZooKeeper event thread: do not block in dependents.
     */
    CompletableFuture<List<CuratorTransactionResult>> commit(List<CuratorOp> ops);

    /**
     * Call when a write that carried {@link #fenceOp()} was rejected by it; ends the term and
     * re-runs the election.
     */
    void fenceLost(Throwable cause);

    /** Completes, with the reason, when the term ends. */
    CompletableFuture<String> ended();
}
