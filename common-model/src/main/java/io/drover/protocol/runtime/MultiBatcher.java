package io.drover.protocol.runtime;

import io.drover.model.FenceLostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.jute.Record;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.SetDataRequest;

/**
 * Group commit for ZooKeeper {@code multi}: callers submit small groups of ops ("items"); while one
 * {@code multi} is in flight the next items queue, and they all go out together when it returns. An
 * idle batcher sends at once, so batching adds no latency at light load and grows batches under
 * heavy load. Every multi starts with the {@code prefix} ops (e.g. a leader-epoch check), asked for
 * anew for each multi.
 *
 * <p>Items keep their own all-or-nothing meaning: when one item's op fails, that item alone fails
 * with the {@link KeeperException} of its op and the others are resent. When a prefix op fails
 * every item fails with {@link FenceLostException}. On connection loss every item fails with the
 * connection error, and the outcome of the multi is unknown: callers must re-read before acting.
 *
 * <p>Thread-safe. Futures complete on the ZooKeeper event thread: dependents must not block (chain
 * with {@code *Async(executor)} for real work).
 */
public final class MultiBatcher {
    private final CuratorFramework client;
    private final Supplier<List<CuratorOp>> prefix;
    private final String fenceLost;
    private final int maxOps;
    private final int maxBytes;
    private final ConcurrentLinkedDeque<Item> queue = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param maxOps ops per multi, prefix excluded
     * @param maxBytes approximate data bytes per multi; keep well under {@code jute.maxbuffer}
     */
    public MultiBatcher(CuratorFramework client, List<CuratorOp> prefix, int maxOps, int maxBytes) {
        this(client, constant(List.copyOf(prefix)), maxOps, maxBytes, "fence lost");
    }

    private static Supplier<List<CuratorOp>> constant(List<CuratorOp> prefix) {
        return () -> prefix;
    }

    /**
     * @param prefix the ops every multi starts with, asked for when the multi is sent
     * @param fenceLost what the {@link FenceLostException} of a failed prefix says, before the
     *     failure itself
     */
    public MultiBatcher(
            CuratorFramework client,
            Supplier<List<CuratorOp>> prefix,
            int maxOps,
            int maxBytes,
            String fenceLost) {
        this.client = client;
        this.fenceLost = fenceLost;
        this.prefix = prefix;
        this.maxOps = maxOps;
        this.maxBytes = maxBytes;
    }

    public CompletableFuture<List<CuratorTransactionResult>> submit(List<CuratorOp> ops) {
        Item item = new Item(List.copyOf(ops), bytesOf(ops), new CompletableFuture<>());
        if (closed) {
            item.future.completeExceptionally(new IllegalStateException("batcher closed"));
            return item.future;
        }
        queue.addLast(item);
        drain();
        return item.future;
    }

    /** Fails everything queued; an in-flight multi still completes its items. */
    public void close() {
        closed = true;
        Item item;
        while ((item = queue.pollFirst()) != null) {
            item.future.completeExceptionally(new IllegalStateException("batcher closed"));
        }
    }

    private void drain() {
        while (inFlight.compareAndSet(false, true)) {
            List<Item> batch = take();
            if (!batch.isEmpty()) {
                send(batch);
                return;
            }
            inFlight.set(false);
            if (queue.isEmpty()) {
                return;
            }
        }
    }

    private List<Item> take() {
        List<Item> batch = new ArrayList<>();
        int ops = 0;
        int bytes = 0;
        Item next;
        while ((next = queue.peekFirst()) != null) {
            boolean fits =
                    batch.isEmpty()
                            || (ops + next.ops.size() <= maxOps && bytes + next.bytes <= maxBytes);
            if (!fits) {
                break;
            }
            queue.pollFirst();
            batch.add(next);
            ops += next.ops.size();
            bytes += next.bytes;
        }
        return batch;
    }

    private void send(List<Item> batch) {
        List<CuratorOp> all = new ArrayList<>(prefix.get());
        int prefixSize = all.size();
        batch.forEach(i -> all.addAll(i.ops));
        try {
            client.transaction()
                    .inBackground((c, event) -> onResult(batch, prefixSize, event))
                    .forOperations(all);
        } catch (Exception e) {
            batch.forEach(i -> i.future.completeExceptionally(e));
            inFlight.set(false);
            drain();
        }
    }

    private void onResult(List<Item> batch, int prefixSize, CuratorEvent event) {
        try {
            complete(batch, prefixSize, event);
        } finally {
            inFlight.set(false);
            drain();
        }
    }

    private void complete(List<Item> batch, int prefixSize, CuratorEvent event) {
        KeeperException.Code rc = KeeperException.Code.get(event.getResultCode());
        List<CuratorTransactionResult> results = event.getOpResults();
        if (rc == KeeperException.Code.OK) {
            int at = prefixSize;
            for (Item i : batch) {
                i.future.complete(results.subList(at, at + i.ops.size()));
                at += i.ops.size();
            }
            return;
        }
        int failed = failedIndex(results);
        if (failed < 0) {
            KeeperException e = KeeperException.create(rc);
            batch.forEach(i -> i.future.completeExceptionally(e));
            return;
        }
        KeeperException cause =
                KeeperException.create(
                        KeeperException.Code.get(results.get(failed).getError()),
                        results.get(failed).getForPath());
        if (failed < prefixSize) {
            FenceLostException fence =
                    new FenceLostException(fenceLost + ": " + cause.getMessage(), cause);
            batch.forEach(i -> i.future.completeExceptionally(fence));
            return;
        }
        int at = prefixSize;
        List<Item> retry = new ArrayList<>();
        for (Item i : batch) {
            if (failed >= at && failed < at + i.ops.size()) {
                i.future.completeExceptionally(cause);
            } else {
                retry.add(i);
            }
            at += i.ops.size();
        }
        for (int k = retry.size() - 1; k >= 0; k--) {
            queue.addFirst(retry.get(k));
        }
    }

    /**
     * ZooKeeper marks the op that failed with its code, the ops before it OK and those after
     * RUNTIMEINCONSISTENCY.
     */
    private static int failedIndex(List<CuratorTransactionResult> results) {
        if (results == null) {
            return -1;
        }
        for (int k = 0; k < results.size(); k++) {
            int code = results.get(k).getError();
            if (code != KeeperException.Code.OK.intValue()
                    && code != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                return k;
            }
        }
        return -1;
    }

    private static int bytesOf(List<CuratorOp> ops) {
        int total = 0;
        for (CuratorOp op : ops) {
            Record r = op.get().toRequestRecord();
            total += 64 + op.get().getPath().length();
            if (r instanceof CreateRequest c && c.getData() != null) {
                total += c.getData().length;
            } else if (r instanceof SetDataRequest s && s.getData() != null) {
                total += s.getData().length;
            }
        }
        return total;
    }

    private record Item(
            List<CuratorOp> ops,
            int bytes,
            CompletableFuture<List<CuratorTransactionResult>> future) {}
}
