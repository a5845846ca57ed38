package io.drover.protocol.runtime;

import io.drover.model.Versioned;
import io.drover.protocol.ZooKeeperClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;

/**
 * Group-committed reads: while one read-only {@code multi} (ZooKeeper 3.6+) is in flight, further
 * reads queue and then go out together, up to {@code maxReads} per request. It turns the one {@code
 * getData} per new znode that a {@code CuratorCache} would issue into a handful of requests under
 * load, and sends at once when idle. Curator has no read-multi, so this uses the raw handle of the
 * Curator client (paths must therefore be absolute: Curator namespaces are not applied); the
 * caller's watches (Curator's {@code PersistentWatcher}) stay Curator's.
 *
 * <p>Replies and watch events share one connection and arrive in server order, so a caller that
 * applies both on one thread in arrival order sees a consistent history.
 *
 * <p>A batch is bounded by bytes as well as by count: its reply can hold up to one largest znode
 * ({@link ZooKeeperClients#MAX_NODE_BYTES}) per read, and must fit the client's packet limit, or
 * the client drops the connection and every re-read of the batch fails the same way. Clients built
 * by {@link ZooKeeperClients} accept 128 MiB and batch up to {@code maxReads}; a client with
 * ZooKeeper's default 1 MiB limit gets plain pipelined {@code getData}s instead.
 *
 * <p>Thread-safe. Futures complete on the ZooKeeper event thread: dependents must not block.
 */
public final class BatchedReader {
    /**
     * The names its reads carry in Curator's tracer ({@code
     * CuratorZookeeperClient#setTracerDriver}).
     */
    public static final String TRACE_MULTI = "BatchedReader-Multi";

    public static final String TRACE_GET_DATA = "BatchedReader-GetData";

    private final CuratorFramework client;
    private final int maxReads;
    private final ConcurrentLinkedQueue<Read> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean inFlight = new AtomicBoolean();

    /** Reads per multi that the client's packet limit allows; 0 until the first read. */
    private volatile int perMulti;

    public BatchedReader(CuratorFramework client, int maxReads) {
        this.client = client;
        this.maxReads = maxReads;
    }

    /**
     * The data and version of a znode; empty if it does not exist. Fails with a {@link
     * KeeperException} on connection problems.
     */
    public CompletableFuture<Optional<Versioned<byte[]>>> read(String path) {
        Read r = new Read(path, new CompletableFuture<>());
        if (perMulti() == 1) {
            send(List.of(r));
            return r.future;
        }
        queue.add(r);
        drain();
        return r.future;
    }

    private int perMulti() {
        int n = perMulti;
        if (n == 0) {
            n =
                    Math.max(
                            1,
                            Math.min(
                                    maxReads,
                                    ZooKeeperClients.packetLimit(client)
                                                    / ZooKeeperClients.MAX_NODE_BYTES
                                            - 1));
            perMulti = n;
        }
        return n;
    }

    private void drain() {
        while (inFlight.compareAndSet(false, true)) {
            List<Read> batch = new ArrayList<>();
            Read next;
            while (batch.size() < perMulti && (next = queue.poll()) != null) {
                batch.add(next);
            }
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

    private void send(List<Read> batch) {
        if (batch.size() == 1) {
            sendOne(batch.get(0));
            return;
        }
        List<Op> ops = new ArrayList<>(batch.size());
        batch.forEach(r -> ops.add(Op.getData(r.path)));
        try {
            // Curator traces only what goes through it: the client's tracer hears these too.
            OperationTrace trace =
                    client.getZookeeperClient()
                            .startAdvancedTracer(TRACE_MULTI)
                            .setRequestTransactionCount(ops.size());
            client.getZookeeperClient()
                    .getZooKeeper()
                    .multi(
                            ops,
                            (rc, path, ctx, results) -> {
                                trace.setReturnCode(rc).commit();
                                try {
                                    complete(batch, rc, results);
                                } finally {
                                    inFlight.set(false);
                                    drain();
                                }
                            },
                            null);
        } catch (Exception e) {
            batch.forEach(r -> r.future.completeExceptionally(e));
            inFlight.set(false);
            drain();
        }
    }

    private void sendOne(Read r) {
        try {
            OperationTrace trace =
                    client.getZookeeperClient().startAdvancedTracer(TRACE_GET_DATA).setPath(r.path);
            client.getZookeeperClient()
                    .getZooKeeper()
                    .getData(
                            r.path,
                            false,
                            (rc, path, ctx, data, stat) -> {
                                trace.setReturnCode(rc).commit();
                                try {
                                    if (rc == KeeperException.Code.OK.intValue()) {
                                        r.future.complete(
                                                Optional.of(
                                                        new Versioned<>(
                                                                data,
                                                                stat.getVersion(),
                                                                stat.getMzxid())));
                                    } else if (rc == KeeperException.Code.NONODE.intValue()) {
                                        r.future.complete(Optional.empty());
                                    } else {
                                        r.future.completeExceptionally(
                                                KeeperException.create(
                                                        KeeperException.Code.get(rc), r.path));
                                    }
                                } finally {
                                    if (perMulti > 1) {
                                        inFlight.set(false);
                                        drain();
                                    }
                                }
                            },
                            null);
        } catch (Exception e) {
            r.future.completeExceptionally(e);
            if (perMulti > 1) {
                inFlight.set(false);
                drain();
            }
        }
    }

    /**
     * ZooKeeper reports the first per-op error as the multi's result code even for a read-only
     * multi, with every op's own result alongside; so each read is judged by its own result.
     */
    private static void complete(List<Read> batch, int rc, List<OpResult> results) {
        if (results == null || results.size() != batch.size()) {
            KeeperException e =
                    KeeperException.create(
                            KeeperException.Code.get(
                                    rc == 0 ? KeeperException.Code.SYSTEMERROR.intValue() : rc));
            batch.forEach(r -> r.future.completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Read r = batch.get(i);
            OpResult result = results.get(i);
            if (result instanceof OpResult.GetDataResult data) {
                r.future.complete(
                        Optional.of(
                                new Versioned<>(
                                        data.getData(),
                                        data.getStat().getVersion(),
                                        data.getStat().getMzxid())));
            } else if (result instanceof OpResult.ErrorResult err
                    && err.getErr() == KeeperException.Code.NONODE.intValue()) {
                r.future.complete(Optional.empty());
            } else {
                int code =
                        result instanceof OpResult.ErrorResult err
                                ? err.getErr()
                                : KeeperException.Code.SYSTEMERROR.intValue();
                r.future.completeExceptionally(
                        KeeperException.create(KeeperException.Code.get(code), r.path));
            }
        }
    }

    private record Read(String path, CompletableFuture<Optional<Versioned<byte[]>>> future) {}
}
