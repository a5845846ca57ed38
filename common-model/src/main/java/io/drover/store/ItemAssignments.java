package io.drover.store;

import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverPaths;
import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.model.Versioned;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.BatchedReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Which workers serve, load and drop which items, as read from the workers' own folders. Kept apart
 * from {@link ItemStore}, which owns the {@code items/} records and their writes: this side only
 * reads, and from many folders that workers add and remove while it reads. Callers run it inside
 * their own {@code ZooKeeperCalls.call}, so failures keep the caller's description.
 */
final class ItemAssignments {
    private final Map<String, List<String>> served = new HashMap<>();
    private final Map<String, List<String>> loading = new HashMap<>();
    private final Map<String, List<String>> dropping = new HashMap<>();

    private ItemAssignments() {}

    /** One item's workers, for {@link ItemStore#statusOf} (which says why it reads this way). */
    static ItemAssignments of(CuratorFramework client, DroverPaths paths, String itemId)
            throws Exception {
        BatchedReader reader = new BatchedReader(client, 200);
        Map<String, CompletableFuture<Optional<Versioned<byte[]>>>> served = new TreeMap<>();
        Map<String, CompletableFuture<Optional<Versioned<byte[]>>>> commands = new TreeMap<>();
        for (String w : children(client, paths.served())) {
            served.put(w, reader.read(paths.servedItem(w, itemId)));
        }
        for (String w : children(client, paths.loadQueue())) {
            commands.put(w, reader.read(paths.loadCommand(w, itemId)));
        }
        ItemAssignments a = new ItemAssignments();
        for (var e : served.entrySet()) {
            if (e.getValue()
                    .get(StoreOptions.ZK_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .isPresent()) {
                a.served.computeIfAbsent(itemId, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        for (var e : commands.entrySet()) {
            e.getValue()
                    .get(StoreOptions.ZK_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .ifPresent(
                            data ->
                                    a.command(
                                            paths.loadCommand(e.getKey(), itemId),
                                            e.getKey(),
                                            itemId,
                                            data.value()));
        }
        return a;
    }

    /** Every worker's served items and pending commands, for listing all items. */
    static ItemAssignments all(CuratorFramework client, DroverPaths paths) throws Exception {
        Map<String, List<String>> served = childrenByWorker(client, paths.served());
        Map<String, List<String>> queued = childrenByWorker(client, paths.loadQueue());
        BatchedReader reader = new BatchedReader(client, 200);
        Map<String, CompletableFuture<Optional<Versioned<byte[]>>>> commands = new HashMap<>();
        queued.forEach(
                (w, items) ->
                        items.forEach(
                                i ->
                                        commands.put(
                                                w + "/" + i,
                                                reader.read(paths.loadCommand(w, i)))));
        ItemAssignments a = new ItemAssignments();
        served.forEach(
                (w, items) ->
                        items.forEach(
                                i -> a.served.computeIfAbsent(i, k -> new ArrayList<>()).add(w)));
        for (var e : commands.entrySet()) {
            Optional<Versioned<byte[]>> data =
                    e.getValue()
                            .get(StoreOptions.ZK_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String[] wi = e.getKey().split("/");
            data.ifPresent(
                    d -> a.command(paths.loadCommand(wi[0], wi[1]), wi[0], wi[1], d.value()));
        }
        return a;
    }

    /**
     * The children of each worker folder under {@code root}, by worker id; empty on an older
     * layout.
     */
    static Map<String, List<String>> childrenByWorker(CuratorFramework client, String root)
            throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        List<String> workers;
        try {
            workers = client.getChildren().forPath(root);
        } catch (KeeperException.NoNodeException olderLayout) {
            return out;
        }
        for (String w : workers) {
            try {
                out.put(w, client.getChildren().forPath(root + "/" + w));
            } catch (KeeperException.NoNodeException gone) {
                // removed meanwhile
            }
        }
        return out;
    }

    private static List<String> children(CuratorFramework client, String folder) throws Exception {
        try {
            return client.getChildren().forPath(folder);
        } catch (KeeperException.NoNodeException olderLayout) {
            return List.of();
        }
    }

    private void command(String path, String workerId, String itemId, byte[] data) {
        try {
            LoadCommand c = Znodes.loadCommand(path, data);
            (c.action() == LoadCommand.Action.LOAD ? loading : dropping)
                    .computeIfAbsent(itemId, k -> new ArrayList<>())
                    .add(workerId);
        } catch (CorruptZnodeException corrupt) {
            // shown as neither; the leader logs it and replaces it
        }
    }

    ItemStatus statusOf(ItemSpec spec) {
        return new ItemStatus(
                spec,
                sorted(served.get(spec.id())),
                sorted(loading.get(spec.id())),
                sorted(dropping.get(spec.id())));
    }

    ItemStatus corrupt(String id, String problem) {
        ItemStatus s = statusOf(ItemSpec.of(id, 0));
        return new ItemStatus(s.item(), s.servedBy(), s.loading(), s.dropping(), problem);
    }

    private static List<String> sorted(List<String> l) {
        return l == null ? List.of() : l.stream().sorted().toList();
    }
}
