package io.drover.coordinator.internal;

import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.GraphRecord;
import io.drover.model.GraphState;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.FolderListener;
import io.drover.protocol.runtime.WatchedFolder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of graphs ({@code graphs/}, one watch): holds the tasks of a graph that is not
 * sealed yet (their staging may still fail), lets them wait for their dependencies once it is, and
 * follows a sealed graph to its end: its tasks' states are read once when it is sealed (or when a
 * new term finds it running), then learnt from what the leader observes ({@link EndedTally}); when
 * the last one ends the record is written with the graph's end and counts. The slow pass abandons a
 * staging older than {@code graphStagingTimeout} (one versioned write of the record, which a late
 * seal then fails on), takes back its tasks, and deletes the records of graphs ended longer ago
 * than the retention. Leader thread only, apart from {@link #close()}.
 */
final class GraphMembers {
    private static final Logger LOG = LoggerFactory.getLogger(GraphMembers.class);

    private record Graph(GraphRecord record, int version, long firstSeenMs) {}

    private final LeaderContext ctx;
    private final Dependencies dependencies;
    private final long stagingTimeoutMs;
    private final long retentionMs;
    private final WatchedFolder folder;
    private final Map<String, Graph> graphs = new HashMap<>();
    private final Map<String, Set<String>> parked = new HashMap<>();
    private final Map<String, Long> parkedSince = new HashMap<>();
    private final Map<String, Integer> parkedNamed = new HashMap<>();
    private final GraphRuns runs;
    private final Set<String> writing = new HashSet<>();

    GraphMembers(
            LeaderContext ctx,
            Dependencies dependencies,
            WaitingReads reads,
            io.drover.coordinator.CoordinatorConfig config,
            Runnable initialized) {
        this.ctx = ctx;
        this.dependencies = dependencies;
        this.stagingTimeoutMs = config.graphStagingTimeout().toMillis();
        this.retentionMs = config.retention().toMillis();
        this.folder =
                new WatchedFolder(
                        ctx.client(),
                        ctx.paths().graphs(),
                        1,
                        ctx.executor(),
                        ctx.corrupt()
                                .guarding(
                                        FolderListener.of(
                                                this::upserted, this::removed, initialized)));
        this.runs = new GraphRuns(ctx, reads, this::ended);
    }

    void start() {
        folder.start();
    }

    void close() {
        Closing.quietly(folder);
    }

    // ---- records --------------------------------------------------------------------------------

    private void upserted(String path, byte[] data, int version) {
        GraphRecord g = Znodes.graph(path, data);
        ctx.corrupt().cleared(path);
        Graph before = graphs.get(g.id());
        long now = System.currentTimeMillis();
        graphs.put(g.id(), new Graph(g, version, before == null ? now : before.firstSeenMs()));
        // An ABANDONED record written by its submitter needs nothing here: the submitter takes its
        // tasks back, and what it leaves is taken back once held longer than the staging timeout.
        // Taking them back at once could race a new graph of the same id staging the same tasks.
        if (g.state().isSealed()) {
            unpark(g.id());
            if (g.state() == GraphState.RUNNING && !runs.follows(g.id(), version)) {
                runs.follow(g, version);
            } else if (g.state().isEnded()) {
                runs.stop(g.id());
            }
        }
    }

    private void removed(String path) {
        String id = DroverPaths.nodeName(path);
        graphs.remove(id);
        runs.stop(id);
    }

    // ---- staged tasks ---------------------------------------------------------------------------

    /** Holds a waiting task whose graph is not sealed; false: it may wait for its dependencies. */
    boolean park(WaitingTask w) {
        if (w.graphId() == null) {
            return false;
        }
        Graph g = graphs.get(w.graphId());
        if (g != null && g.record().state().isSealed()) {
            return false;
        }
        parked.computeIfAbsent(w.graphId(), k -> new HashSet<>()).add(w.taskId());
        parkedSince.put(w.taskId(), System.currentTimeMillis());
        w.dependsOn().forEach(d -> parkedNamed.merge(d, 1, Integer::sum));
        return true;
    }

    /** The task no longer waits (released, cancelled, discarded or gone). */
    void unparked(WaitingTask w) {
        if (parkedSince.remove(w.taskId()) == null) {
            return;
        }
        Set<String> ids = parked.get(w.graphId());
        if (ids != null && ids.remove(w.taskId()) && ids.isEmpty()) {
            parked.remove(w.graphId());
        }
        w.dependsOn()
                .forEach(d -> parkedNamed.computeIfPresent(d, (k, n) -> n == 1 ? null : n - 1));
    }

    private void unpark(String graphId) {
        for (String id : Set.copyOf(parked.getOrDefault(graphId, Set.of()))) {
            WaitingTask w = dependencies.task(id);
            if (w != null) {
                unparked(w);
                dependencies.follow(id);
            }
        }
    }

    /** Whether a held task names this one (retention keeps it). */
    boolean named(String taskId) {
        return parkedNamed.containsKey(taskId);
    }

    /** Every task of a sealed graph has ended: the record says how. */
    private void ended(String graphId, int version, GraphState end, GraphRecord.Counts counts) {
        Graph g = graphs.get(graphId);
        if (g != null && g.version() == version) {
            GraphRecord r = g.record();
            GraphRecord done = r.in(end, System.currentTimeMillis(), counts, r.reruns());
            write(
                    graphId,
                    version,
                    done,
                    "ended " + end + " " + counts,
                    // as its watch will say: not RUNNING, so the slow pass does not count it again
                    () -> graphs.put(graphId, new Graph(done, version + 1, g.firstSeenMs())));
        }
    }

    // ---- the slow pass --------------------------------------------------------------------------

    /** Abandons stale stagings, takes back orphans, deletes records past their retention. */
    void reconcile() {
        long now = System.currentTimeMillis();
        for (Graph g : List.copyOf(graphs.values())) {
            GraphRecord r = g.record();
            if (r.state() == GraphState.STAGING && now - g.firstSeenMs() > stagingTimeoutMs) {
                write(
                        r.id(),
                        g.version(),
                        r.in(GraphState.ABANDONED, 0, null, r.reruns()),
                        "abandoned: its staging took longer than " + stagingTimeoutMs + " ms");
            } else if ((r.state() == GraphState.ABANDONED
                            && !parked.containsKey(r.id())
                            && now - g.firstSeenMs() > stagingTimeoutMs) // its submitter cleans up
                    || (r.state().isEnded() && now - r.finishedAtMs() > retentionMs)) {
                delete(r.id(), g.version());
            }
        }
        for (Graph g : List.copyOf(graphs.values())) {
            if (g.record().state() == GraphState.RUNNING
                    && !runs.follows(g.record().id())
                    && !writing.contains(g.record().id())) {
                runs.follow(g.record(), g.version()); // its end was not written: count again
            }
        }
        for (Map.Entry<String, Set<String>> e : Map.copyOf(parked).entrySet()) {
            Graph g = graphs.get(e.getKey());
            if (g == null || g.record().state() == GraphState.ABANDONED) {
                for (String id : Set.copyOf(e.getValue())) {
                    if (now - parkedSince.getOrDefault(id, now) > stagingTimeoutMs) {
                        dependencies.discard(id); // staged for a graph that never came or failed
                    }
                }
            }
        }
    }

    /** Our own abandonment won: nobody can seal the graph now, so its tasks go at once. */
    private void takeBack(String graphId) {
        Set.copyOf(parked.getOrDefault(graphId, Set.of())).forEach(dependencies::discard);
    }

    private void write(String graphId, int version, GraphRecord next, String what) {
        write(graphId, version, next, what, () -> {});
    }

    private void write(String graphId, int version, GraphRecord next, String what, Runnable then) {
        if (!writing.add(graphId)) {
            return;
        }
        try {
            submit(
                    graphId,
                    List.of(
                            ctx.op()
                                    .setData()
                                    .withVersion(version)
                                    .forPath(ctx.paths().graph(graphId), DroverJson.encode(next))),
                    what,
                    then);
        } catch (Exception e) {
            writing.remove(graphId);
            LOG.warn("cannot build the write of graph {}: {}", graphId, e.toString());
        }
    }

    private void delete(String graphId, int version) {
        if (!writing.add(graphId)) {
            return;
        }
        try {
            submit(
                    graphId,
                    List.of(
                            ctx.op()
                                    .delete()
                                    .withVersion(version)
                                    .forPath(ctx.paths().graph(graphId))),
                    "deleted",
                    () -> {});
        } catch (Exception e) {
            writing.remove(graphId);
        }
    }

    private void submit(
            String graphId,
            List<org.apache.curator.framework.api.transaction.CuratorOp> ops,
            String what,
            Runnable then) {
        ctx.writer()
                .submit(ops)
                .whenCompleteAsync(
                        (r, e) -> {
                            writing.remove(graphId);
                            if (e == null) {
                                LOG.info("graph {} {}", graphId, what);
                                then.run();
                            } else if (!ctx.writer().lost()) {
                                // changed meanwhile (sealed, re-run): its watch event tells
                                LOG.debug("graph {} not {}: {}", graphId, what, e.toString());
                            }
                        },
                        ctx.executor());
    }
}
