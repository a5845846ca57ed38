package io.drover.protocol;

import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverPaths;
import io.drover.model.PendingEntry;
import io.drover.model.PendingKey;
import io.drover.model.WorkerInfo;
import io.drover.store.Layout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/** One walk of {@link Fsck}: validates every node with {@link Znodes}, cross-checks the rest. */
final class FsckScan {
    /** Parses a node; throws {@link CorruptZnodeException} when it does not validate. */
    private interface Check {
        void check(String path, byte[] data);
    }

    private record Ref(String path, String taskId, String workerId, ZnodeKind kind) {}

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final List<Fsck.Finding> out = new ArrayList<>();
    private final Map<String, List<Ref>> refsByBucket = new HashMap<>();

    FsckScan(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    List<Fsck.Finding> run() throws Exception {
        for (String child : children(paths.root())) {
            if (!DroverPaths.ROOT_CHILDREN.contains(child)) {
                found(ZnodeKind.UNKNOWN, paths.root() + "/" + child, "not part of Drover's layout");
            }
        }
        read(
                List.of(paths.layoutMarker()),
                ZnodeKind.LAYOUT,
                (p, d) -> Layout.checkMarker(paths, d));
        read(List.of(paths.leaderEpoch()), ZnodeKind.EPOCH, Znodes::epoch);
        read(List.of(paths.liveCounts()), ZnodeKind.LIVE_COUNTS, Znodes::liveCounts);
        read(List.of(paths.aclPolicy()), ZnodeKind.ACL_POLICY, Znodes::aclPolicy);
        read(leaves(paths.coordinators()), ZnodeKind.COORDINATOR, Znodes::coordinator);
        read(leaves(paths.workers()), ZnodeKind.WORKER, this::worker);
        for (String p : leaves(paths.cancels())) {
            guard(ZnodeKind.CANCEL, p, () -> Znodes.idName(ZnodeKind.CANCEL, p));
        }
        for (String p : leaves(paths.drains())) {
            guard(ZnodeKind.DRAIN, p, () -> Znodes.idName(ZnodeKind.DRAIN, p));
        }
        read(leaves(paths.types()), ZnodeKind.TYPE_POLICY, Znodes::typePolicy);
        read(leaves(paths.breakers()), ZnodeKind.BREAKER, Znodes::breaker);
        read(leaves(paths.broadcasts()), ZnodeKind.BROADCAST, Znodes::broadcast);
        read(leaves(paths.items()), ZnodeKind.ITEM, Znodes::item);
        read(leaves(paths.schedules()), ZnodeKind.SCHEDULE, Znodes::schedule);
        read(folderLeaves(paths.loadQueue()), ZnodeKind.LOAD_COMMAND, Znodes::loadCommand);
        read(folderLeaves(paths.served()), ZnodeKind.SERVED, Znodes::served);
        read(
                folderLeaves(paths.assignments()),
                ZnodeKind.ASSIGNMENT,
                (p, d) ->
                        ref(
                                p,
                                Znodes.assignment(p, d).taskId(),
                                DroverPaths.nodeName(p.substring(0, p.lastIndexOf('/'))),
                                ZnodeKind.ASSIGNMENT));
        read(
                leaves(paths.claims()),
                ZnodeKind.CLAIM,
                (p, d) ->
                        ref(
                                p,
                                DroverPaths.nodeName(p),
                                Znodes.claim(p, d).workerId(),
                                ZnodeKind.CLAIM));
        Set<String> buckets = new HashSet<>(paths.buckets(""));
        for (String bucketed :
                List.of(
                        paths.tasks(),
                        paths.statuses(),
                        paths.pending(),
                        paths.done(),
                        paths.waiting())) {
            for (String b : children(bucketed)) {
                if (!buckets.contains("/" + b)) {
                    found(
                            ZnodeKind.FOLDER,
                            bucketed + "/" + b,
                            "not one of the layout's bucket folders");
                }
            }
        }
        for (String b : paths.buckets("")) {
            bucket(b.substring(1));
        }
        out.sort(Comparator.comparing(Fsck.Finding::path));
        return out;
    }

    private void worker(String path, byte[] data) {
        WorkerInfo w = Znodes.worker(path, data);
        try {
            if (client.checkExists().forPath(paths.assignments(w.id())) == null) {
                throw Znodes.workerWithoutFolder(path, paths.assignments(w.id()));
            }
        } catch (CorruptZnodeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void ref(String path, String taskId, String workerId, ZnodeKind kind) {
        refsByBucket
                .computeIfAbsent(paths.bucket(taskId), b -> new ArrayList<>())
                .add(new Ref(path, taskId, workerId, kind));
    }

    /**
     * One bucket: specs, statuses, pending entries and retention entries, checked against each
     * other.
     */
    private void bucket(String b) throws Exception {
        String specs = paths.tasks() + "/" + b;
        String statuses = paths.statuses() + "/" + b;
        Set<String> specIds = new HashSet<>(children(specs));
        Set<String> seen =
                new HashSet<>(); // statuses that validate; the others are findings already
        read(
                prefixed(statuses, children(statuses)),
                ZnodeKind.STATUS,
                (p, d) -> seen.add(placed(ZnodeKind.STATUS, p, Znodes.status(p, d).taskId())));
        for (String id : specIds) {
            if (!seen.contains(id) && client.checkExists().forPath(statuses + "/" + id) == null) {
                found(ZnodeKind.TASK_SPEC, specs + "/" + id, "the task has no status");
            }
        }
        read(
                prefixed(specs, new ArrayList<>(specIds)),
                ZnodeKind.TASK_SPEC,
                (p, d) -> placed(ZnodeKind.TASK_SPEC, p, Znodes.spec(p, d).id()));
        List<String> pendingPaths =
                prefixed(paths.pending() + "/" + b, children(paths.pending() + "/" + b));
        PipelinedReads.readAll(
                client,
                pendingPaths,
                n -> {
                    if (n.data() != null) {
                        guard(
                                ZnodeKind.PENDING,
                                n.path(),
                                () -> pendingAgrees(n.path(), Znodes.pending(n.path(), n.data())));
                    }
                });
        for (String p : prefixed(paths.done() + "/" + b, children(paths.done() + "/" + b))) {
            String name = DroverPaths.nodeName(p);
            String taskId = PendingKey.taskIdOfDone(name);
            guard(
                    ZnodeKind.DONE,
                    p,
                    () -> {
                        if (PendingKey.timeOfDone(name) < 0
                                || taskId == null
                                || !p.equals(paths.done(taskId, PendingKey.timeOfDone(name)))) {
                            throw new CorruptZnodeException(
                                    ZnodeKind.DONE,
                                    p,
                                    "not <13-digit finish ms>-<task id> in the task's bucket",
                                    null);
                        }
                    });
        }
        for (String p : prefixed(paths.waiting() + "/" + b, children(paths.waiting() + "/" + b))) {
            guard(
                    ZnodeKind.WAITING,
                    p,
                    () -> ref(p, Znodes.idName(ZnodeKind.WAITING, p), null, ZnodeKind.WAITING));
        }
        for (Ref r : refsByBucket.getOrDefault(b, List.of())) {
            if (!seen.contains(r.taskId())
                    && client.checkExists().forPath(paths.status(r.taskId())) == null) {
                found(r.kind(), r.path(), "task " + r.taskId() + " does not exist");
            }
        }
    }

    /** A decoder accepts a task's bucket in either layout; the cluster uses one. */
    private String placed(ZnodeKind kind, String path, String taskId) {
        return Znodes.inBucket(kind, path, taskId, paths.bucket(taskId));
    }

    private void pendingAgrees(String path, PendingEntry e) throws Exception {
        placed(ZnodeKind.PENDING, path, e.taskId());
        Stat stat = client.checkExists().forPath(paths.status(e.taskId()));
        if (stat == null || stat.getVersion() != e.statusVersion()) {
            throw new CorruptZnodeException(
                    ZnodeKind.PENDING,
                    path,
                    stat == null
                            ? "task " + e.taskId() + " has no status"
                            : "it names status version "
                                    + e.statusVersion()
                                    + " but the status is at version "
                                    + stat.getVersion(),
                    null);
        }
    }

    // ---- walking
    // ---------------------------------------------------------------------------------------

    private void read(List<String> nodes, ZnodeKind kind, Check check) throws Exception {
        PipelinedReads.readAll(
                client,
                nodes,
                n -> {
                    if (n.data() == null) {
                        return; // gone since the listing
                    }
                    guard(kind, n.path(), () -> check.check(n.path(), n.data()));
                    if (n.stat().getNumChildren() > 0) {
                        // the node itself may be fine: the children are what is wrong
                        for (String child : leaves(n.path())) {
                            found(
                                    ZnodeKind.UNKNOWN,
                                    child,
                                    "under a "
                                            + kind.label()
                                            + ", which has no children in Drover's layout");
                        }
                    }
                });
    }

    private interface Step {
        void run() throws Exception;
    }

    private void guard(ZnodeKind kind, String path, Step step) throws Exception {
        try {
            step.run();
        } catch (CorruptZnodeException e) {
            found(e.kind() == ZnodeKind.UNKNOWN ? kind : e.kind(), path, e.problem());
        }
    }

    private void found(ZnodeKind kind, String path, String problem) throws Exception {
        Stat stat = client.checkExists().forPath(path);
        if (stat != null) {
            out.add(
                    new Fsck.Finding(
                            kind,
                            path,
                            problem,
                            stat.getVersion(),
                            stat.getCzxid(),
                            stat.getNumChildren() == 0));
        }
    }

    private List<String> children(String path) throws Exception {
        try {
            return client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException none) {
            return List.of();
        }
    }

    private List<String> leaves(String folder) throws Exception {
        return prefixed(folder, children(folder));
    }

    /**
     * Nodes one folder down ({@code assignments/<w>/<task>}); a name that is no id is a finding.
     */
    private List<String> folderLeaves(String root) throws Exception {
        List<String> out = new ArrayList<>();
        for (String folder : leaves(root)) {
            guard(ZnodeKind.FOLDER, folder, () -> Znodes.idName(ZnodeKind.FOLDER, folder));
            out.addAll(leaves(folder));
        }
        return out;
    }

    private static List<String> prefixed(String folder, List<String> names) {
        List<String> out = new ArrayList<>(names.size());
        names.forEach(n -> out.add(folder + "/" + n));
        return out;
    }
}
