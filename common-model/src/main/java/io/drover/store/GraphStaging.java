package io.drover.store;

import io.drover.model.DroverException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.GraphConflictException;
import io.drover.model.GraphRecord;
import io.drover.model.GraphRules;
import io.drover.model.GraphState;
import io.drover.model.InvalidTaskException;
import io.drover.model.TaskSpec;
import io.drover.protocol.DependencyTransitions;
import io.drover.protocol.ZooKeeperCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a graph all or nothing, however many multis its tasks take: the record first ({@code
 * graphs/<id>}, STAGING), then every task WAITING in group-committed multis (the leader holds the
 * tasks of a graph that is not sealed), then one versioned write of the record seals it (RUNNING).
 * A failure before the seal takes back what was staged (the record ABANDONED first, by a versioned
 * write, then the tasks, then the record); a submitter that dies mid-way leaves the cleanup to the
 * leader, which abandons a graph still STAGING after its staging timeout by the same versioned
 * write, so that exactly one of seal and abandonment wins. Blocking; thread-safe.
 */
final class GraphStaging {
    private static final Logger LOG = LoggerFactory.getLogger(GraphStaging.class);

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final TaskStore store;
    private final DependencyTransitions transitions;
    private final LayoutFence writes;

    GraphStaging(CuratorFramework client, TaskStore store) {
        this.client = client;
        this.paths = store.paths();
        this.store = store;
        this.transitions = new DependencyTransitions(client, paths);
        this.writes = new LayoutFence(client, paths, store.options().maxBatchOps(), store::read);
    }

    /** Returns once the graph is sealed; see {@link GraphStore#submit}. */
    void submit(String graphId, List<TaskSpec> tasks, SubmitterQuota quota) throws Exception {
        String by = quota == null ? null : quota.principal();
        long now = System.currentTimeMillis();
        List<PreparedSpec> prepared = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec s = GraphRules.member(tasks.get(i), graphId);
            s = by == null ? s : s.withSubmittedBy(by);
            try {
                prepared.add(
                        PreparedSpec.of(
                                s.submittedAtMs() > 0 ? s : s.withSubmittedAtMs(now),
                                store.options()));
            } catch (InvalidTaskException e) {
                throw e.prefixed("tasks[" + i + "].");
            }
        }
        GraphRecord staging =
                GraphRules.plan(
                        graphId, prepared.stream().map(PreparedSpec::spec).toList(), by, now);
        byte[] record = DroverJson.encode(staging);
        if (record.length > GraphRecord.MAX_BYTES) {
            throw new InvalidTaskException(
                    "tasks",
                    "make a graph record of "
                            + record.length
                            + " bytes; at most "
                            + GraphRecord.MAX_BYTES
                            + " (fewer tasks or shorter ids)");
        }
        checkExternal(staging);
        try {
            client.create().forPath(paths.graph(graphId), record);
        } catch (KeeperException.NodeExistsException e) {
            throw new GraphConflictException("graph " + graphId + " already exists");
        }
        List<String> staged = new ArrayList<>();
        RuntimeException failure = stage(staging, prepared, quota, staged);
        if (failure != null) {
            abandon(staging, staged);
            throw failure;
        }
        try {
            client.setData()
                    .withVersion(0)
                    .forPath(
                            paths.graph(graphId),
                            DroverJson.encode(staging.in(GraphState.RUNNING, 0, null, 0)));
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
            discard(staged);
            throw new DroverException(
                    "graph "
                            + graphId
                            + " was abandoned while it was staged (the leader gives up a"
                            + " staging that takes longer than its graphStagingTimeout); nothing of"
                            + " it runs: submit it again",
                    true);
        }
    }

    /** Every task from outside the graph must exist: the first missing one is named. */
    private void checkExternal(GraphRecord g) throws Exception {
        List<CompletableFuture<Boolean>> checks = new ArrayList<>(g.external().size());
        for (String id : g.external()) {
            checks.add(store.read(paths.status(id)).thenApply(o -> o.isPresent()));
        }
        for (int j = 0; j < checks.size(); j++) {
            if (!ZooKeeperCalls.await(checks.get(j))) {
                throw missing(g, g.external().get(j));
            }
        }
    }

    private static InvalidTaskException missing(GraphRecord g, String id) {
        int named = g.tasks().size() + g.external().indexOf(id);
        for (int i = 0; i < g.tasks().size(); i++) {
            if (g.dependsOn().get(i).contains(named)) {
                return new InvalidTaskException(
                        "tasks[" + i + "].dependsOn",
                        "names task " + id + ", which is neither in the graph nor submitted");
            }
        }
        return new InvalidTaskException("tasks", "name task " + id + ", which does not exist");
    }

    /**
     * Admits and writes every task; returns the first failure (in task order), after every write
     * has settled, with the ids of the tasks it did write in {@code staged}.
     */
    private RuntimeException stage(
            GraphRecord g, List<PreparedSpec> prepared, SubmitterQuota quota, List<String> staged)
            throws Exception {
        List<CompletableFuture<?>> written = new ArrayList<>(prepared.size());
        for (int i = 0; i < prepared.size(); i++) {
            PreparedSpec p = prepared.get(i);
            List<String> outside = new ArrayList<>();
            for (String d : p.spec().dependsOn()) {
                if (g.external().contains(d)) {
                    outside.add(d);
                }
            }
            List<CuratorOp> ops = transitions.submit(p.spec(), p.bytes(), outside);
            written.add(
                    store.admission()
                            .admit(
                                    p.spec().type(),
                                    quota == null ? null : quota.principal(),
                                    quota == null ? 0 : quota.maxLiveTasks(),
                                    p.bytes().length)
                            .thenCompose(admitted -> writes.submit(ops)));
        }
        RuntimeException first = null;
        for (int i = 0; i < written.size(); i++) {
            try {
                ZooKeeperCalls.await(written.get(i));
                staged.add(g.tasks().get(i));
            } catch (Exception e) {
                if (first == null) {
                    first = explain(g, i, ZooKeeperCalls.unwrap(e));
                }
            }
        }
        return first;
    }

    private RuntimeException explain(GraphRecord g, int i, Throwable e) {
        String id = g.tasks().get(i);
        String missing = transitions.missingTask(e);
        if (missing != null) {
            return missing(g, missing);
        }
        if (e instanceof KeeperException.NodeExistsException) {
            return new GraphConflictException(
                    "tasks["
                            + i
                            + "]: task "
                            + id
                            + " already exists; a graph's tasks are new tasks");
        }
        return e instanceof DroverException d ? d : ZooKeeperCalls.translate("stage task " + id, e);
    }

    /**
     * The record ABANDONED (one versioned write: the leader may have got there first), then all.
     */
    private void abandon(GraphRecord g, List<String> staged) {
        try {
            client.setData()
                    .withVersion(0)
                    .forPath(
                            paths.graph(g.id()),
                            DroverJson.encode(g.in(GraphState.ABANDONED, 0, null, 0)));
        } catch (Exception e) {
            LOG.info(
                    "graph {} was abandoned already: the leader cleans it up ({})",
                    g.id(),
                    e.toString());
            return;
        }
        discard(staged);
        try {
            client.delete().forPath(paths.graph(g.id()));
        } catch (Exception e) {
            LOG.info(
                    "cannot delete abandoned graph {} ({}); the leader will", g.id(), e.toString());
        }
    }

    /**
     * Takes back staged tasks; what cannot be (an ACL that lets only coordinators delete), the
     * leader does.
     */
    private void discard(List<String> staged) {
        List<CompletableFuture<?>> deletes = new ArrayList<>(staged.size());
        for (String id : staged) {
            try {
                deletes.add(writes.submit(transitions.discard(id, 0)));
            } catch (Exception e) {
                LOG.debug("cannot build the discard of {}", id, e);
            }
        }
        for (CompletableFuture<?> d : deletes) {
            try {
                ZooKeeperCalls.await(d);
            } catch (Exception e) {
                LOG.debug("staged task not taken back: {}", e.toString());
            }
        }
    }

    void close() {
        writes.close();
    }
}
