package io.drover.server.internal;

import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverPaths;
import io.drover.model.TaskState;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.server.api.TaskPage;
import io.drover.server.api.TaskView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Pages through task statuses for {@link ClusterReader}. The only read whose cost grows with the
 * number of tasks, so it lives apart with the rules that keep it bounded: a scan budget per
 * request, a cap on reads in flight, and a resumable {@link PageToken}.
 *
 * <p>Blocking; call from request threads, never from ZooKeeper's event thread. Thread-safe.
 */
final class TaskLister {
    /**
     * Reads in flight at once. Separate reads, not one multi: statuses carry results, and a multi's
     * reply must stay under 1 MB.
     */
    private static final int READS_IN_FLIGHT = 200;

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final int scanBudget;

    /**
     * @param scanBudget statuses read per listing request at most
     */
    TaskLister(CuratorFramework client, DroverPaths paths, int scanBudget) {
        this.client = client;
        this.paths = paths;
        this.scanBudget = scanBudget;
    }

    /** See {@link ClusterReader#list}. */
    TaskPage list(TaskState state, String type, int limit, String pageToken) throws Exception {
        PageToken at = PageToken.parse(pageToken);
        List<TaskView> out = new ArrayList<>();
        int scanned = 0;
        List<String> bucketFolders = paths.buckets(paths.statuses());
        for (int bucket = at.bucket(); bucket < DroverPaths.BUCKETS; bucket++) {
            String folder = bucketFolders.get(bucket);
            List<String> ids = new ArrayList<>(client.getChildren().forPath(folder));
            Collections.sort(ids);
            String after = bucket == at.bucket() ? at.after() : null;
            int from = after == null ? 0 : -Collections.binarySearch(ids, after + "\0") - 1;
            for (int i = from; i < ids.size(); ) {
                int chunk =
                        Math.min(ids.size() - i, Math.min(READS_IN_FLIGHT, scanBudget - scanned));
                List<CompletableFuture<Optional<byte[]>>> reads = new ArrayList<>(chunk);
                for (int j = 0; j < chunk; j++) {
                    reads.add(read(folder + "/" + ids.get(i + j)));
                }
                for (int j = 0; j < chunk; j++, i++, scanned++) {
                    String id = ids.get(i);
                    TaskView view = view(id, folder + "/" + id, ZooKeeperCalls.await(reads.get(j)));
                    if (view != null && matches(view, state, type)) {
                        out.add(view);
                        if (out.size() == limit) {
                            return new TaskPage(
                                    out,
                                    i + 1 < ids.size() || bucket + 1 < DroverPaths.BUCKETS
                                            ? new PageToken(bucket, id).encode()
                                            : null);
                        }
                    }
                }
                if (scanned >= scanBudget && i < ids.size()) {
                    return new TaskPage(out, new PageToken(bucket, ids.get(i - 1)).encode());
                }
            }
            if (scanned >= scanBudget && bucket + 1 < DroverPaths.BUCKETS) {
                return new TaskPage(out, new PageToken(bucket + 1, null).encode());
            }
        }
        return new TaskPage(out, null);
    }

    private CompletableFuture<Optional<byte[]>> read(String path) throws Exception {
        CompletableFuture<Optional<byte[]>> f = new CompletableFuture<>();
        client.getData()
                .inBackground(
                        (c, e) -> {
                            KeeperException.Code rc = KeeperException.Code.get(e.getResultCode());
                            if (rc == KeeperException.Code.OK) {
                                f.complete(Optional.of(e.getData()));
                            } else if (rc == KeeperException.Code.NONODE) {
                                f.complete(Optional.empty());
                            } else {
                                f.completeExceptionally(KeeperException.create(rc, path));
                            }
                        })
                .forPath(path);
        return f;
    }

    private static TaskView view(String id, String path, Optional<byte[]> data) {
        if (data.isEmpty()) {
            return null; // deleted by retention between the listing and the read
        }
        try {
            return TaskView.of(Znodes.status(path, data.get())).withoutResult();
        } catch (CorruptZnodeException e) {
            return TaskView.unreadable(id, e.getMessage());
        }
    }

    private static boolean matches(TaskView v, TaskState state, String type) {
        return (state == null || state.name().equals(v.state()))
                && (type == null || type.equals(v.type()));
    }
}
