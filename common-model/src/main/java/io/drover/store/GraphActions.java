package io.drover.store;

import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.GraphConflictException;
import io.drover.model.GraphNotFoundException;
import io.drover.model.GraphRecord;
import io.drover.model.GraphRules;
import io.drover.model.GraphState;
import io.drover.model.Names;
import io.drover.model.RerunRefusedException;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads graphs and acts on them as a whole for {@link GraphStore}: a graph's record, its tasks'
 * statuses (one read each, a bounded number in flight), a page of graphs, cancel (a cancel request
 * for each task not ended) and re-run (every FAILED or CANCELLED task re-run, dependencies before
 * their dependents, then the record RUNNING again). Blocking; thread-safe.
 */
final class GraphActions {
    private static final Logger LOG = LoggerFactory.getLogger(GraphActions.class);
    private static final int READS_IN_FLIGHT = 500;

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final TaskStore store;

    GraphActions(CuratorFramework client, TaskStore store) {
        this.client = client;
        this.paths = store.paths();
        this.store = store;
    }

    Optional<Versioned<GraphRecord>> get(String graphId) throws Exception {
        Names.checkId("id", graphId);
        String path = paths.graph(graphId);
        return ZooKeeperCalls.await(store.read(path))
                .map(v -> new Versioned<>(Znodes.graph(path, v.value()), v.version()));
    }

    /** A sealed graph, or {@link GraphNotFoundException} (staging and abandoned ones are not). */
    Versioned<GraphRecord> sealed(String graphId) throws Exception {
        return get(graphId)
                .filter(g -> g.value().state().isSealed())
                .orElseThrow(() -> new GraphNotFoundException(graphId));
    }

    /** The statuses of its tasks, in its order; null for a task that is gone. */
    List<TaskStatus> statuses(GraphRecord g) throws Exception {
        List<TaskStatus> out = new ArrayList<>(g.tasks().size());
        for (int from = 0; from < g.tasks().size(); from += READS_IN_FLIGHT) {
            List<String> chunk =
                    g.tasks().subList(from, Math.min(g.tasks().size(), from + READS_IN_FLIGHT));
            List<CompletableFuture<Optional<Versioned<TaskStatus>>>> reads = new ArrayList<>();
            chunk.forEach(id -> reads.add(store.status(id)));
            for (var r : reads) {
                out.add(ZooKeeperCalls.await(r).map(Versioned::value).orElse(null));
            }
        }
        return out;
    }

    /** Sealed graphs by id after {@code after} (null: from the first), at most {@code limit}. */
    GraphStore.GraphPage list(String after, int limit) throws Exception {
        List<String> ids = new ArrayList<>(client.getChildren().forPath(paths.graphs()));
        ids.sort(null);
        List<String> page = new ArrayList<>();
        for (String id : ids) {
            if ((after == null || id.compareTo(after) > 0) && page.size() < limit + 1) {
                page.add(id);
            }
        }
        boolean more = page.size() > limit;
        List<String> shown = more ? page.subList(0, limit) : page;
        List<CompletableFuture<Optional<Versioned<byte[]>>>> reads = new ArrayList<>();
        shown.forEach(id -> reads.add(store.read(paths.graph(id))));
        List<GraphRecord> out = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            Optional<Versioned<byte[]>> r = ZooKeeperCalls.await(reads.get(i));
            if (r.isEmpty()) {
                continue;
            }
            try {
                GraphRecord g = Znodes.graph(paths.graph(shown.get(i)), r.get().value());
                if (g.state().isSealed()) {
                    out.add(g);
                }
            } catch (CorruptZnodeException e) {
                LOG.warn("listing skips a graph: {}", e.getMessage());
            }
        }
        return new GraphStore.GraphPage(out, more ? shown.get(shown.size() - 1) : null);
    }

    /** Asks for every task not ended to be cancelled; returns how many were asked. */
    int cancel(String graphId) throws Exception {
        GraphRecord g = sealed(graphId).value();
        List<TaskStatus> statuses = statuses(g);
        List<CompletableFuture<?>> asks = new ArrayList<>();
        for (TaskStatus s : statuses) {
            if (s != null && !s.state().isTerminal()) {
                asks.add(requestCancel(s.taskId()));
            }
        }
        for (CompletableFuture<?> a : asks) {
            ZooKeeperCalls.await(a);
        }
        return asks.size();
    }

    /** Re-runs the FAILED and CANCELLED tasks of one layer together, counting them in done[0]. */
    private void rerunLayer(
            List<Integer> layer, List<TaskStatus> statuses, SubmitterQuota quota, int[] done)
            throws Exception {
        List<CompletableFuture<TaskStatus>> again = new ArrayList<>();
        for (int i : layer) {
            TaskStatus s = statuses.get(i);
            if (s != null && (s.state() == TaskState.FAILED || s.state() == TaskState.CANCELLED)) {
                again.add(store.rerun(s.taskId(), quota));
            }
        }
        Exception first = null;
        for (CompletableFuture<TaskStatus> f : again) {
            try {
                ZooKeeperCalls.await(f);
                done[0]++;
            } catch (RerunRefusedException someoneElse) {
                // re-run meanwhile by someone else: it runs again all the same
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first; // no later layer: its dependents would find this one not re-run
        }
    }

    /** Creates the task's cancel request; one that is there already is as good. */
    private CompletableFuture<Void> requestCancel(String taskId) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        client.create()
                .inBackground(
                        (c, e) -> {
                            KeeperException.Code rc = KeeperException.Code.get(e.getResultCode());
                            if (rc == KeeperException.Code.OK
                                    || rc == KeeperException.Code.NODEEXISTS) {
                                f.complete(null);
                            } else {
                                f.completeExceptionally(KeeperException.create(rc, e.getPath()));
                            }
                        })
                .forPath(paths.cancel(taskId));
        return f;
    }

    /**
     * Re-runs every FAILED or CANCELLED task of an ended graph, layer by layer (a dependency before
     * its dependents, so that no dependent is shown a dependency not yet re-run), then makes the
     * record RUNNING again, which the leader follows to its new end. Returns how many tasks run
     * again.
     */
    int rerun(String graphId, SubmitterQuota quota) throws Exception {
        Versioned<GraphRecord> read = sealed(graphId);
        GraphRecord g = read.value();
        if (!g.state().isEnded()) {
            throw new GraphConflictException(
                    "graph " + graphId + " is " + g.state() + ": re-run it once it has ended");
        }
        List<TaskStatus> statuses = statuses(g);
        int[] done = new int[1];
        Exception failure = null;
        try {
            for (List<Integer> layer : GraphRules.layers(g)) {
                rerunLayer(layer, statuses, quota, done);
            }
        } catch (Exception e) {
            failure = e; // a quota, a lost connection: what was re-run is followed all the same
        }
        int rerun = done[0];
        if (rerun > 0) {
            GraphRecord running = g.in(GraphState.RUNNING, 0, null, g.reruns() + 1);
            try {
                client.setData()
                        .withVersion(read.version())
                        .forPath(paths.graph(graphId), DroverJson.encode(running));
            } catch (KeeperException.BadVersionException e) {
                LOG.info("graph {} changed during its re-run (another re-run): it stands", graphId);
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (rerun == 0) {
            throw new GraphConflictException(
                    "graph "
                            + graphId
                            + " "
                            + g.state()
                            + " with no FAILED or CANCELLED task to re-run");
        }
        return rerun;
    }
}
