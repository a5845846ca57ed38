package io.drover.election.internal;

import io.drover.election.LeadershipTerm;
import io.drover.model.FenceLostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.KeeperException;

final class Term implements LeadershipTerm {
    private final CuratorFramework client;
    private final long epoch;
    private final CuratorOp fenceOp;
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final BiConsumer<Term, Throwable> onFenceLost;

    Term(
            CuratorFramework client,
            String epochPath,
            long epoch,
            BiConsumer<Term, Throwable> onFenceLost)
            throws Exception {
        this.client = client;
        this.epoch = epoch;
        this.fenceOp = client.transactionOp().check().withVersion((int) epoch).forPath(epochPath);
        this.onFenceLost = onFenceLost;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public boolean isActive() {
        return active.get();
    }

    @Override
    public CuratorOp fenceOp() {
        return fenceOp;
    }

    @Override
    public CompletableFuture<List<CuratorTransactionResult>> commit(List<CuratorOp> ops) {
        CompletableFuture<List<CuratorTransactionResult>> f = new CompletableFuture<>();
        if (!isActive()) {
            f.completeExceptionally(fencedOut(null));
            return f;
        }
        List<CuratorOp> all = new ArrayList<>(ops.size() + 1);
        all.add(fenceOp);
        all.addAll(ops);
        try {
            client.transaction()
                    .inBackground(
                            (c, event) -> {
                                List<CuratorTransactionResult> results = event.getOpResults();
                                int rc = event.getResultCode();
                                if (rc == KeeperException.Code.OK.intValue()) {
                                    f.complete(results.subList(1, results.size()));
                                } else if (results != null
                                        && !results.isEmpty()
                                        && results.get(0).getError() != 0) {
                                    FenceLostException e =
                                            fencedOut(
                                                    KeeperException.create(
                                                            KeeperException.Code.get(
                                                                    results.get(0).getError())));
                                    fenceLost(e);
                                    f.completeExceptionally(e);
                                } else {
                                    f.completeExceptionally(firstError(rc, results));
                                }
                            })
                    .forOperations(all);
        } catch (Exception e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    private FenceLostException fencedOut(Throwable cause) {
        return new FenceLostException(
                "write of leader epoch " + epoch + " rejected: a newer leader holds the epoch",
                cause);
    }

    private static KeeperException firstError(int rc, List<CuratorTransactionResult> results) {
        if (results != null) {
            for (CuratorTransactionResult r : results) {
                if (r.getError() != 0
                        && r.getError() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                    return KeeperException.create(
                            KeeperException.Code.get(r.getError()), r.getForPath());
                }
            }
        }
        return KeeperException.create(KeeperException.Code.get(rc));
    }

    @Override
    public void fenceLost(Throwable cause) {
        if (isActive()) {
            onFenceLost.accept(this, cause);
        }
    }

    /** Ends the term; true only for the call that ended it. */
    boolean end(String reason) {
        if (active.compareAndSet(true, false)) {
            ended.complete(reason);
            return true;
        }
        return false;
    }

    @Override
    public CompletableFuture<String> ended() {
        return ended;
    }

    @Override
    public String toString() {
        return "term(epoch=" + epoch + (isActive() ? ", active)" : ", ended)");
    }
}
