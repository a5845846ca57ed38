package io.drover.coordinator.internal;

import io.drover.election.LeadershipTerm;
import io.drover.model.FenceLostException;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.runtime.MultiBatcher;
import io.drover.store.StoreOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;

/**
 * The leader's only way to write. Every multi starts with the term's fence ({@code check} of the
 * epoch's version) and goes out batched with others; the first one the fence rejects ends the term
 * here, so no caller handles a lost fence: a caller whose write failed asks {@link #lost()} and, if
 * so, stops (the term is over and its state is thrown away).
 *
 * <p>Thread-safe. Futures complete on the ZooKeeper event thread: chain with {@code *Async}.
 */
final class TermWriter {
    private final LeadershipTerm term;
    private final MultiBatcher batcher;
    private final AtomicBoolean fenced = new AtomicBoolean();

    TermWriter(CuratorFramework client, LeadershipTerm term, int maxOpsPerMulti) {
        this.term = term;
        this.batcher =
                new MultiBatcher(
                        client,
                        List.of(term.fenceOp()),
                        maxOpsPerMulti,
                        StoreOptions.MAX_MULTI_BYTES);
    }

    /**
     * Writes {@code ops} as one all-or-nothing item of a fenced multi. Fails with the {@link
     * org.apache.zookeeper.KeeperException} of the op that failed, or with a {@link
     * FenceLostException} once the term is fenced out (which has then ended the term).
     */
    CompletableFuture<List<CuratorTransactionResult>> submit(List<CuratorOp> ops) {
        return batcher.submit(ops)
                .whenComplete(
                        (r, e) -> {
                            if (e != null
                                    && ZooKeeperCalls.unwrap(e) instanceof FenceLostException lost
                                    && fenced.compareAndSet(false, true)) {
                                term.fenceLost(lost);
                            }
                        });
    }

    /**
     * True once this term can write no more (fenced out, or ended for another reason): a failure
     * needs no handling.
     */
    boolean lost() {
        return fenced.get() || !term.isActive();
    }

    /**
     * Ends the term from inside: something the leader needs failed in a way that will not pass by
     * itself.
     */
    void giveUp(Throwable cause) {
        term.fenceLost(cause);
    }

    /** Fails queued writes; one in flight still completes. */
    void close() {
        batcher.close();
    }
}
