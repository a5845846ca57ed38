package io.drover.server.internal.events;

import io.drover.model.DroverPaths;
import io.drover.model.Versioned;
import io.drover.protocol.CorruptNodes;
import io.drover.protocol.runtime.BatchedReader;
import io.drover.protocol.runtime.NamedThreads;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a coordinator's {@link EventLog} from one set of persistent watches ({@code status/},
 * {@code workers/}, {@code served/}, {@code breakers/}, {@code leader/epoch}), whatever the number
 * of subscribers. Notifications carry a zxid but no data: the feed reads what it needs in batches
 * ({@link BatchedReader}), off the ZooKeeper event thread and off every task's path, and releases
 * events in zxid order through a {@link ReleaseQueue}. A disconnection records a gap, since
 * ZooKeeper does not replay the notifications it could not deliver.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} idempotent. All work runs on one named
 * thread; watch callbacks only hand events to it.
 */
public final class EventFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
    private static final int READS_PER_MULTI = 256;
    private static final int LABEL_CACHE = 100_000;

    private enum State {
        NEW,
        STARTED,
        CLOSED
    }

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final EventLog log;
    private final EventMaker maker;
    private final AtomicInteger state = new AtomicInteger();
    private final ExecutorService executor =
            Executors.newSingleThreadExecutor(new NamedThreads("drover-events-feed"));
    private final ReleaseQueue<Object> queue = new ReleaseQueue<>(); // executor only
    private final Map<String, Map<String, String>> labels = // executor only
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Map<String, String>> e) {
                    return size() > LABEL_CACHE;
                }
            };
    private final java.util.Set<String> joining = new java.util.HashSet<>(); // executor only
    private long lastZxid; // executor only
    private BatchedReader reader;
    private ZxidWatches watches;

    public EventFeed(
            CuratorFramework client,
            DroverPaths paths,
            EventLog log,
            CorruptNodes corrupt,
            LongSupplier clock) {
        this.client = client;
        this.paths = paths;
        this.log = log;
        this.maker = new EventMaker(corrupt, clock);
    }

    public EventLog log() {
        return log;
    }

    public void start() {
        if (!state.compareAndSet(State.NEW.ordinal(), State.STARTED.ordinal())) {
            throw new IllegalStateException("the event feed can be started only once");
        }
        reader = new BatchedReader(client, READS_PER_MULTI);
        watches =
                new ZxidWatches(
                        client,
                        Map.of(
                                paths.statuses(), AddWatchMode.PERSISTENT_RECURSIVE,
                                paths.workers(), AddWatchMode.PERSISTENT_RECURSIVE,
                                paths.served(), AddWatchMode.PERSISTENT_RECURSIVE,
                                paths.breakers(), AddWatchMode.PERSISTENT_RECURSIVE,
                                paths.leaderEpoch(), AddWatchMode.PERSISTENT),
                        this::hand);
        watches.start();
    }

    /** On the ZooKeeper event thread: hands the event over, in order, and returns at once. */
    private void hand(WatchedEvent e) {
        try {
            executor.execute(() -> onEvent(e));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed: nobody streams any more
        }
    }

    private void onEvent(WatchedEvent e) {
        try {
            route(e);
        } catch (RuntimeException bad) {
            LOG.warn("event feed skipped a notification for {}: {}", e.getPath(), bad.toString());
        }
        queue.drain(log::append);
    }

    private void route(WatchedEvent e) {
        if (e.getType() == EventType.None) {
            KeeperState s = e.getState();
            if (s == KeeperState.Disconnected || s == KeeperState.Expired) {
                String why = "the coordinator lost its ZooKeeper connection; reload what you show";
                ready(e.getZxid(), "!gap", null, ignored -> gapEvent(why));
            }
            return;
        }
        String path = e.getPath();
        String rel = path.substring(paths.root().length() + 1);
        String[] parts = rel.split("/");
        // ZooKeeper sends no zxid with a few notifications (those it makes up when a client
        // re-registers watches): they take the last one seen, so ids never go backwards.
        lastZxid = Math.max(lastZxid, e.getZxid());
        long zxid = lastZxid;
        boolean gone = e.getType() == EventType.NodeDeleted;
        boolean created = e.getType() == EventType.NodeCreated;
        switch (parts[0]) {
            case "status" -> {
                if (parts.length == 3 && !gone) {
                    String id = parts[2];
                    queue.add(
                                    zxid,
                                    path,
                                    () -> readTask(path, id),
                                    (z, r) -> taskEvent(z, path, id, r))
                            .whenCompleteAsync((r, x) -> queue.drain(log::append), executor);
                }
            }
            case "workers" -> {
                if (parts.length == 2) {
                    if (gone) {
                        joining.remove(path);
                        ready(zxid, path, null, ignored -> maker.worker(zxid, path, "left", null));
                    } else {
                        // a change that supersedes the creation before its release still tells
                        // of a join
                        String change = created || joining.contains(path) ? "joined" : "updated";
                        if (created) {
                            joining.add(path);
                        }
                        enqueueRead(
                                zxid,
                                path,
                                (z, r) -> {
                                    joining.remove(path);
                                    return maker.worker(z, path, change, (NodeRead) r);
                                });
                    }
                }
            }
            case "served" -> {
                if (parts.length == 3 && (created || gone)) {
                    ready(
                            zxid,
                            path,
                            null,
                            ignored -> maker.item(zxid, parts[1], parts[2], created));
                }
            }
            case "breakers" -> {
                if (parts.length == 2 && !gone) {
                    enqueueRead(zxid, path, (z, r) -> maker.breaker(z, path, (NodeRead) r));
                }
            }
            case "leader" -> {
                if (!gone) {
                    enqueueRead(zxid, path, (z, r) -> maker.leader(z, path, (NodeRead) r));
                }
            }
            default -> {}
        }
    }

    private FeedEvent gapEvent(String why) {
        log.markGap(maker.gapJson(why));
        return null; // markGap appended it, in order
    }

    private void ready(
            long zxid,
            String key,
            Object value,
            java.util.function.Function<Object, FeedEvent> make) {
        queue.add(
                zxid, key, () -> CompletableFuture.completedFuture(value), (z, r) -> make.apply(r));
    }

    private void enqueueRead(long zxid, String path, ReleaseQueue.Maker<Object> make) {
        queue.add(zxid, path, () -> read(path).thenApply(r -> (Object) r), make)
                .whenCompleteAsync((r, x) -> queue.drain(log::append), executor);
    }

    /**
     * A status and, when its labels are not known yet, its spec, read together. The spec is asked
     * first: the reader sends in order, so the status's reply is the last and completes the pair. A
     * notification that comes while the pair is out shares it ({@link ReleaseQueue}), which is
     * right only if the status was served after that change; asked the other way round, a status
     * answered before the change but paired with a spec still out would be shared, and the stream's
     * last word on the task would be a state it had left.
     */
    private CompletableFuture<Object> readTask(String statusPath, String id) {
        if (labels.containsKey(id)) {
            return read(statusPath).thenApply(s -> (Object) s);
        }
        CompletableFuture<NodeRead> spec = read(paths.task(id));
        return read(statusPath).thenCombine(spec, (s, sp) -> (Object) new NodeRead[] {s, sp});
    }

    private FeedEvent taskEvent(long zxid, String path, String id, Object read) {
        NodeRead status;
        if (read instanceof NodeRead[] both) {
            status = both[0];
            if (!both[1].failed()) {
                labels.put(id, maker.labels(paths.task(id), both[1]));
            }
        } else {
            status = (NodeRead) read;
        }
        if (status.failed()) {
            return null; // the connection dropped: the gap that follows tells subscribers
        }
        return maker.task(zxid, path, status, labels.getOrDefault(id, Map.of()));
    }

    private CompletableFuture<NodeRead> read(String path) {
        return reader.read(path)
                .handle(
                        (Optional<Versioned<byte[]>> r, Throwable x) -> {
                            if (x != null) {
                                return NodeRead.FAILED;
                            }
                            return r.map(v -> new NodeRead(v.value(), v.version(), true, false))
                                    .orElse(NodeRead.ABSENT);
                        });
    }

    @Override
    public void close() {
        int was = state.getAndSet(State.CLOSED.ordinal());
        if (was == State.CLOSED.ordinal()) {
            return;
        }
        if (watches != null) {
            watches.close();
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }
}
