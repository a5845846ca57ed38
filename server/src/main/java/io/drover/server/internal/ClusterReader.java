package io.drover.server.internal;

import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverPaths;
import io.drover.model.LiveCounts;
import io.drover.model.Names;
import io.drover.model.TaskState;
import io.drover.model.WorkerInfo;
import io.drover.protocol.ChildCounts;
import io.drover.protocol.EpochInfo;
import io.drover.protocol.ZnodeKind;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.server.api.ClusterView;
import io.drover.server.api.DrainResponse;
import io.drover.server.api.TaskPage;
import io.drover.server.api.WorkerView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The read side of the API: task listings, workers and cluster summaries, straight from ZooKeeper.
 * Counts come from child counts ({@code Stat.numChildren}) and listings read a bounded number of
 * statuses per request in batched multis, so no request costs O(tasks).
 *
 * <p>Blocking; call from request threads, never from ZooKeeper's event thread. Thread-safe.
 */
public final class ClusterReader {
    /** Statuses read per listing request at most, whatever the filter. */
    public static final int DEFAULT_SCAN_BUDGET = 2_000;

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final String cluster;
    private final TaskLister lister;

    public ClusterReader(CuratorFramework client, DroverPaths paths, String cluster) {
        this(client, paths, cluster, DEFAULT_SCAN_BUDGET);
    }

    /**
     * @param scanBudget statuses read per listing request at most
     */
    public ClusterReader(
            CuratorFramework client, DroverPaths paths, String cluster, int scanBudget) {
        this.client = client;
        this.paths = paths;
        this.cluster = cluster;
        this.lister = new TaskLister(client, paths, scanBudget);
    }

    /**
     * A page of tasks, filtered by state and type (either may be null), newest first, without their
     * results: without a state filter the tasks in flight (assigned or running), then the pending
     * ones, each newest submitted first, then the ended ones, newest finished first; a state filter
     * walks only its part. The order comes from index names, so the statuses read are the ones
     * shown plus those a type filter passes over, at most the scan budget per request. Memory stays
     * bounded: at most 200 statuses are in flight, and of an index's names only as many as the
     * budget are kept.
     */
    public TaskPage list(TaskState state, String type, int limit, String pageToken)
            throws Exception {
        return lister.list(state, type, limit, pageToken);
    }

    /**
     * Live worker nodes, sorted by id; one the leader does not admit is shown {@code REJECTED},
     * with why.
     */
    public List<WorkerView> workers() throws Exception {
        List<String> ids = new ArrayList<>(client.getChildren().forPath(paths.workers()));
        Collections.sort(ids);
        List<WorkerView> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            try {
                Znodes.idName(ZnodeKind.WORKER, paths.worker(id));
            } catch (CorruptZnodeException e) {
                out.add(WorkerView.rejected(id, e.problem()));
                continue;
            }
            worker(id).ifPresent(out::add);
        }
        return out;
    }

    public Optional<WorkerView> worker(String id) throws Exception {
        Names.checkId("worker id", id);
        byte[] data;
        try {
            data = client.getData().forPath(paths.worker(id));
        } catch (KeeperException.NoNodeException gone) {
            return Optional.empty();
        }
        WorkerInfo info;
        try {
            info = Znodes.worker(paths.worker(id), data);
        } catch (CorruptZnodeException e) {
            return Optional.of(WorkerView.rejected(id, e.problem()));
        }
        Stat folder = client.checkExists().forPath(paths.assignments(id));
        if (folder == null) {
            return Optional.of(
                    WorkerView.rejected(
                            id,
                            Znodes.workerWithoutFolder(paths.worker(id), paths.assignments(id))
                                    .problem()));
        }
        boolean drainRequested =
                info.state() != io.drover.model.WorkerState.DRAINING
                        && client.checkExists().forPath(paths.drain(id)) != null;
        // A child count per worker, like tasks: cheaper than listing every worker's served items
        // for each one.
        int items = childCount(paths.served(id));
        return Optional.of(
                new WorkerView(
                        id,
                        info.state().name(),
                        info.capacity(),
                        folder.getNumChildren(),
                        items,
                        info.taskTypes(),
                        info.servesItems(),
                        info.labels(),
                        info.host(),
                        info.version(),
                        info.startedAtMs(),
                        drainRequested,
                        null));
    }

    /** Asks a live worker to drain; empty if there is no such worker. */
    public Optional<DrainResponse> requestDrain(String id) throws Exception {
        Optional<WorkerView> w = worker(id);
        if (w.isEmpty()) {
            return Optional.empty();
        }
        if (w.get().state().equals("DRAINING")) {
            return Optional.of(new DrainResponse(id, "ALREADY_DRAINING"));
        }
        try {
            // creatingParents: a cluster laid out before drains/ existed gets the folder now
            client.create().creatingParentsIfNeeded().forPath(paths.drain(id));
        } catch (KeeperException.NodeExistsException already) {
            // asked before; the worker acts on the first request
        }
        return Optional.of(new DrainResponse(id, "REQUESTED"));
    }

    public ClusterView cluster() throws Exception {
        Stat epochStat = new Stat();
        String leader = null;
        Long since = null;
        try {
            EpochInfo epoch =
                    Znodes.epoch(
                            paths.leaderEpoch(),
                            client.getData().storingStatIn(epochStat).forPath(paths.leaderEpoch()));
            leader = epoch.leader().isEmpty() ? null : epoch.leader();
            since = epoch.sinceMs() > 0 ? epoch.sinceMs() : null;
        } catch (KeeperException.NoNodeException | CorruptZnodeException none) {
            // no leader ever, or an unreadable marker: report no leader
        }
        List<ClusterView.Coordinator> coordinators = new ArrayList<>();
        List<String> ids = new ArrayList<>(client.getChildren().forPath(paths.coordinators()));
        Collections.sort(ids);
        boolean leaderAlive = false;
        for (String id : ids) {
            String apiUrl = null;
            try {
                String url =
                        Znodes.coordinator(
                                        paths.coordinator(id),
                                        client.getData().forPath(paths.coordinator(id)))
                                .apiUrl();
                apiUrl = url.isEmpty() ? null : url;
            } catch (KeeperException.NoNodeException | CorruptZnodeException gone) {
                // left or unreadable: still list it by id
            }
            boolean isLeader = id.equals(leader);
            leaderAlive |= isLeader;
            coordinators.add(new ClusterView.Coordinator(id, apiUrl, isLeader));
        }
        int workers = client.checkExists().forPath(paths.workers()).getNumChildren();
        return new ClusterView(
                cluster,
                leaderAlive ? leader : null,
                epochStat.getVersion(),
                leaderAlive ? since : null,
                coordinators,
                workers,
                counts(leaderAlive ? epochStat.getVersion() : -1),
                childCount(paths.items()));
    }

    /**
     * Children of one folder; 0 if it does not exist (a cluster laid out before it existed, or a
     * worker that never served).
     */
    private int childCount(String folder) throws Exception {
        Stat stat = client.checkExists().forPath(folder);
        return stat == null ? 0 : stat.getNumChildren();
    }

    /**
     * @param epoch the epoch of the leader that leads now, -1 for none: only its own published
     *     counts are current (a new leader publishes the split once it has counted it)
     */
    private ClusterView.TaskCounts counts(long epoch) throws Exception {
        long pending = childCount(paths.buckets(paths.pending()));
        long finished = childCount(paths.buckets(paths.done()));
        long total = childCount(paths.buckets(paths.statuses()));
        long running = client.checkExists().forPath(paths.claims()).getNumChildren();
        List<String> assignmentFolders = new ArrayList<>();
        for (String w : client.getChildren().forPath(paths.assignments())) {
            assignmentFolders.add(paths.assignments(w));
        }
        long assigned = Math.max(0, childCount(assignmentFolders) - running);
        LiveCounts.EndedCounts ended = epoch < 0 ? null : endedCounts(epoch);
        return new ClusterView.TaskCounts(
                pending,
                assigned,
                running,
                finished,
                total,
                ended == null ? null : ended.succeeded(),
                ended == null ? null : ended.failed(),
                ended == null ? null : ended.cancelled());
    }

    /**
     * The leader's count of retained ended tasks by state; null when it has published none (or an
     * older leader's counts, or ones that do not validate).
     */
    private LiveCounts.EndedCounts endedCounts(long epoch) throws Exception {
        try {
            LiveCounts live =
                    Znodes.liveCounts(
                            paths.liveCounts(), client.getData().forPath(paths.liveCounts()));
            return live.epoch() == epoch ? live.ended() : null;
        } catch (KeeperException.NoNodeException | CorruptZnodeException none) {
            return null;
        }
    }

    private long childCount(List<String> folders) throws Exception {
        return ZooKeeperCalls.await(ChildCounts.sum(client, folders));
    }
}
