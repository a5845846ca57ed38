package io.drover.store;

import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.ItemConflictException;
import io.drover.model.ItemLimitException;
import io.drover.model.ItemSpec;
import io.drover.model.Names;
import io.drover.model.Versioned;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.runtime.BatchedReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Declares, reads and removes load/drop items directly in ZooKeeper; no leader is needed to declare
 * one (the leader converges whenever it leads). Writes are versioned compare-and-sets.
 *
 * <p>Thread-safe. Every method blocks on ZooKeeper: never call it on the ZooKeeper event thread.
 * Failures are {@link DroverException}s that say whether retrying helps.
 */
public final class ItemStore {
    /**
     * At most this many items per cluster: {@code items/} is one parent, and ZooKeeper parents stay
     * bounded.
     */
    public static final int MAX_ITEMS = 10_000;

    /**
     * Retries of a versioned write that lost to another writer's success (creates serialize on the
     * folder): puts racing at once.
     */
    private static final int CAS_TRIES = 64;

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final int maxItems;

    public ItemStore(CuratorFramework client, DroverPaths paths) {
        this(client, paths, MAX_ITEMS);
    }

    /**
     * @param maxItems the cap on declared items, at most {@link #MAX_ITEMS} (lower for tests)
     */
    public ItemStore(CuratorFramework client, DroverPaths paths, int maxItems) {
        if (maxItems < 1 || maxItems > MAX_ITEMS) {
            throw new IllegalArgumentException(
                    "maxItems must be between 1 and " + MAX_ITEMS + ", was " + maxItems);
        }
        this.client = client;
        this.paths = paths;
        this.maxItems = maxItems;
    }

    /** What a put did. */
    public record PutResult(boolean created, boolean changed, ItemSpec item) {}

    /**
     * Creates the item, or changes its replicas and labels. The spec is fixed once declared: a
     * different one fails with {@link ItemConflictException}; an equal request changes nothing.
     */
    public PutResult put(ItemSpec requested) {
        requested.validate();
        return ZooKeeperCalls.call(
                "put item " + requested.id(),
                () -> {
                    for (int i = 0; i < CAS_TRIES; i++) {
                        Stat stat = new Stat();
                        Optional<ItemSpec> existing = read(requested.id(), stat);
                        long now = System.currentTimeMillis();
                        if (existing.isEmpty()) {
                            ItemSpec created = requested.withTimes(now, now);
                            try {
                                client.transaction().forOperations(roomFor(created));
                                return new PutResult(true, true, created);
                            } catch (KeeperException.NodeExistsException
                                    | KeeperException.BadVersionException raced) {
                                // the same item, or another one, was created meanwhile: count again
                                continue;
                            }
                        }
                        ItemSpec old = existing.get();
                        if (!old.sameSpec(requested)) {
                            throw new ItemConflictException(requested.id());
                        }
                        if (old.replicas() == requested.replicas()
                                && old.labels().equals(requested.labels())) {
                            return new PutResult(false, false, old);
                        }
                        // from the stored item, so that fields a newer writer added (and its format
                        // version) stay
                        ItemSpec updated =
                                old.withReplicas(requested.replicas())
                                        .withLabels(requested.labels())
                                        .withTimes(old.createdAtMs(), now);
                        try {
                            client.setData()
                                    .withVersion(stat.getVersion())
                                    .forPath(
                                            paths.item(requested.id()), DroverJson.encode(updated));
                            return new PutResult(false, true, updated);
                        } catch (KeeperException.BadVersionException
                                | KeeperException.NoNodeException raced) {
                            // someone else changed or removed it meanwhile: read again
                        }
                    }
                    throw new DroverException(
                            "item "
                                    + requested.id()
                                    + " kept changing under concurrent writers; try again",
                            true);
                });
    }

    /**
     * The cap and the creation in one multi: the creation also rewrites the {@code items} folder at
     * the version its count was read at, so two puts that both saw room for one more cannot both
     * create (the second retries and counts again). Deletions need no such fence: they only make
     * room.
     */
    private List<CuratorOp> roomFor(ItemSpec created) throws Exception {
        Stat parent = client.checkExists().forPath(paths.items());
        if (parent == null) {
            client.create()
                    .creatingParentsIfNeeded()
                    .forPath(paths.items()); // a cluster laid out before items existed
            parent = client.checkExists().forPath(paths.items());
        }
        if (parent.getNumChildren() >= maxItems) {
            throw new ItemLimitException(parent.getNumChildren(), maxItems);
        }
        return List.of(
                client.transactionOp()
                        .setData()
                        .withVersion(parent.getVersion())
                        .forPath(paths.items(), new byte[0]),
                client.transactionOp()
                        .create()
                        .forPath(paths.item(created.id()), DroverJson.encode(created)));
    }

    /** The item's desired state, if declared. */
    public Optional<ItemSpec> spec(String id) {
        Names.checkId("id", id);
        return ZooKeeperCalls.call("read item " + id, () -> read(id, new Stat()));
    }

    /** The item with the workers serving, loading and dropping it. */
    public Optional<ItemStatus> get(String id) {
        return spec(id).map(this::statusOf);
    }

    /**
     * Who serves, loads and drops this item now. Looks up the item's own path under each worker
     * (one pipelined read each) rather than listing every worker's folders, which hold up to {@link
     * #MAX_ITEMS} names each.
     */
    public ItemStatus statusOf(ItemSpec item) {
        return ZooKeeperCalls.call(
                "read item " + item.id(),
                () -> ItemAssignments.of(client, paths, item.id()).statusOf(item));
    }

    /** Every item, sorted by id, with who serves it. Reads every item: O(items) data, pipelined. */
    public List<ItemStatus> list() {
        return ZooKeeperCalls.call(
                "list items",
                () -> {
                    List<String> ids;
                    try {
                        ids = new ArrayList<>(client.getChildren().forPath(paths.items()));
                    } catch (KeeperException.NoNodeException olderLayout) {
                        return List.<ItemStatus>of();
                    }
                    ids.sort(null);
                    BatchedReader reader = new BatchedReader(client, 200);
                    Map<String, CompletableFuture<Optional<Versioned<byte[]>>>> reads =
                            new TreeMap<>();
                    ids.forEach(id -> reads.put(id, reader.read(paths.item(id))));
                    ItemAssignments a = ItemAssignments.all(client, paths);
                    List<ItemStatus> out = new ArrayList<>(ids.size());
                    for (var e : reads.entrySet()) {
                        Optional<Versioned<byte[]>> data =
                                e.getValue()
                                        .get(
                                                StoreOptions.ZK_CALL_TIMEOUT.toMillis(),
                                                TimeUnit.MILLISECONDS);
                        if (data.isPresent()) {
                            try {
                                out.add(
                                        a.statusOf(
                                                Znodes.item(
                                                        paths.item(e.getKey()),
                                                        data.get().value())));
                            } catch (CorruptZnodeException corrupt) {
                                out.add(a.corrupt(e.getKey(), corrupt.problem()));
                            }
                        }
                    }
                    return out;
                });
    }

    /** Removes the item; the leader then drops it everywhere. False if it did not exist. */
    public boolean delete(String id) {
        Names.checkId("id", id);
        return ZooKeeperCalls.call(
                "delete item " + id,
                () -> {
                    try {
                        client.delete().forPath(paths.item(id));
                        return true;
                    } catch (KeeperException.NoNodeException none) {
                        return false;
                    }
                });
    }

    /** Items each worker serves (announced), by worker id. */
    public Map<String, List<String>> servedByWorker() {
        return ZooKeeperCalls.call(
                "list served items",
                () -> ItemAssignments.childrenByWorker(client, paths.served()));
    }

    private Optional<ItemSpec> read(String id, Stat stat) throws Exception {
        try {
            return Optional.of(
                    Znodes.item(
                            paths.item(id),
                            client.getData().storingStatIn(stat).forPath(paths.item(id))));
        } catch (KeeperException.NoNodeException none) {
            return Optional.empty();
        }
    }
}
