package io.drover.protocol;

import io.drover.model.Assignment;
import io.drover.model.BreakerState;
import io.drover.model.Buckets;
import io.drover.model.Claim;
import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.model.PendingEntry;
import io.drover.model.ServedItem;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.model.TypePolicy;
import io.drover.model.WorkerInfo;

/**
 * The one place that turns a znode's bytes into a record: decoding means validating. Each method
 * parses with {@link DroverJson} (a tolerant reader), then checks the record's rules ({@link
 * RecordRules}) and that the node sits where its data says it belongs (the id in the data is the
 * node's name, the bucket is the id's bucket, the folder is the worker's). What fails comes out as
 * a {@link CorruptZnodeException} naming the kind, the path and the first problem; no other
 * exception, and never a record with a missing field that a caller could trip over.
 *
 * <p>Stateless and thread-safe; no I/O.
 */
public final class Znodes {
    private Znodes() {}

    public static TaskSpec spec(String path, byte[] data) {
        TaskSpec s = parse(ZnodeKind.TASK_SPEC, path, data, TaskSpec.class);
        check(ZnodeKind.TASK_SPEC, path, () -> RecordRules.spec(s));
        named(ZnodeKind.TASK_SPEC, path, s.id());
        bucketed(ZnodeKind.TASK_SPEC, path, s.id());
        return s;
    }

    public static TaskStatus status(String path, byte[] data) {
        TaskStatus s = parse(ZnodeKind.STATUS, path, data, TaskStatus.class);
        check(ZnodeKind.STATUS, path, () -> RecordRules.status(s));
        named(ZnodeKind.STATUS, path, s.taskId());
        bucketed(ZnodeKind.STATUS, path, s.taskId());
        return s;
    }

    public static PendingEntry pending(String path, byte[] data) {
        PendingEntry e = parse(ZnodeKind.PENDING, path, data, PendingEntry.class);
        check(ZnodeKind.PENDING, path, () -> RecordRules.pending(e));
        named(ZnodeKind.PENDING, path, e.key());
        bucketed(ZnodeKind.PENDING, path, e.taskId());
        return e;
    }

    public static Assignment assignment(String path, byte[] data) {
        Assignment a = parse(ZnodeKind.ASSIGNMENT, path, data, Assignment.class);
        check(ZnodeKind.ASSIGNMENT, path, () -> RecordRules.assignment(a));
        named(ZnodeKind.ASSIGNMENT, path, a.taskId());
        inFolderOf(ZnodeKind.ASSIGNMENT, path, a.status().workerId());
        return a;
    }

    public static io.drover.model.GraphRecord graph(String path, byte[] data) {
        io.drover.model.GraphRecord g =
                parse(ZnodeKind.GRAPH, path, data, io.drover.model.GraphRecord.class);
        check(ZnodeKind.GRAPH, path, g::validate);
        named(ZnodeKind.GRAPH, path, g.id());
        return g;
    }

    public static WorkerInfo worker(String path, byte[] data) {
        WorkerInfo w = parse(ZnodeKind.WORKER, path, data, WorkerInfo.class);
        check(ZnodeKind.WORKER, path, () -> RecordRules.worker(w));
        named(ZnodeKind.WORKER, path, w.id());
        return w;
    }

    public static CoordinatorInfo coordinator(String path, byte[] data) {
        CoordinatorInfo c = parse(ZnodeKind.COORDINATOR, path, data, CoordinatorInfo.class);
        check(ZnodeKind.COORDINATOR, path, c::validate);
        named(ZnodeKind.COORDINATOR, path, c.id());
        return c;
    }

    /**
     * The epoch node's data; empty data is a fresh cluster's node that no leader has bumped yet.
     */
    public static EpochInfo epoch(String path, byte[] data) {
        if (data == null || data.length == 0) {
            return EpochInfo.NONE;
        }
        EpochInfo e = parse(ZnodeKind.EPOCH, path, data, EpochInfo.class);
        check(ZnodeKind.EPOCH, path, e::validate);
        return e;
    }

    public static Claim claim(String path, byte[] data) {
        Claim c = parse(ZnodeKind.CLAIM, path, data, Claim.class);
        check(ZnodeKind.CLAIM, path, () -> RecordRules.claim(c));
        check(
                ZnodeKind.CLAIM,
                path,
                () -> RecordRules.id("task id (the node's name)", DroverPaths.nodeName(path)));
        return c;
    }

    public static TypePolicy typePolicy(String path, byte[] data) {
        TypePolicy p = parse(ZnodeKind.TYPE_POLICY, path, data, TypePolicy.class);
        check(ZnodeKind.TYPE_POLICY, path, () -> RecordRules.typeName(DroverPaths.nodeName(path)));
        check(ZnodeKind.TYPE_POLICY, path, () -> p.validateFor(DroverPaths.nodeName(path)));
        return p;
    }

    public static io.drover.model.LiveCounts liveCounts(String path, byte[] data) {
        io.drover.model.LiveCounts c =
                parse(ZnodeKind.LIVE_COUNTS, path, data, io.drover.model.LiveCounts.class);
        check(ZnodeKind.LIVE_COUNTS, path, c::validate);
        return c;
    }

    public static io.drover.protocol.acl.AclPolicy aclPolicy(String path, byte[] data) {
        io.drover.protocol.acl.AclPolicy p =
                parse(ZnodeKind.ACL_POLICY, path, data, io.drover.protocol.acl.AclPolicy.class);
        check(ZnodeKind.ACL_POLICY, path, p::validated);
        return p;
    }

    public static BreakerState breaker(String path, byte[] data) {
        BreakerState b = parse(ZnodeKind.BREAKER, path, data, BreakerState.class);
        check(ZnodeKind.BREAKER, path, () -> RecordRules.typeName(DroverPaths.nodeName(path)));
        check(ZnodeKind.BREAKER, path, () -> RecordRules.breaker(b));
        return b;
    }

    /** A schedule: its record's rules (cron, zone, template) and its id is the node's name. */
    public static io.drover.model.Schedule schedule(String path, byte[] data) {
        io.drover.model.Schedule s =
                parse(ZnodeKind.SCHEDULE, path, data, io.drover.model.Schedule.class);
        check(ZnodeKind.SCHEDULE, path, s::validate);
        named(ZnodeKind.SCHEDULE, path, s.id());
        return s;
    }

    /** A broadcast gathering its responses ({@code broadcasts/<taskId>}). */
    public static io.drover.model.BroadcastGathering broadcast(String path, byte[] data) {
        io.drover.model.BroadcastGathering g =
                parse(ZnodeKind.BROADCAST, path, data, io.drover.model.BroadcastGathering.class);
        check(ZnodeKind.BROADCAST, path, g::validate);
        named(ZnodeKind.BROADCAST, path, g.taskId());
        return g;
    }

    public static ItemSpec item(String path, byte[] data) {
        ItemSpec i = parse(ZnodeKind.ITEM, path, data, ItemSpec.class);
        check(ZnodeKind.ITEM, path, i::validate);
        named(ZnodeKind.ITEM, path, i.id());
        return i;
    }

    public static LoadCommand loadCommand(String path, byte[] data) {
        LoadCommand c = parse(ZnodeKind.LOAD_COMMAND, path, data, LoadCommand.class);
        check(ZnodeKind.LOAD_COMMAND, path, () -> RecordRules.loadCommand(c));
        named(ZnodeKind.LOAD_COMMAND, path, c.itemId());
        return c;
    }

    public static ServedItem served(String path, byte[] data) {
        ServedItem s = parse(ZnodeKind.SERVED, path, data, ServedItem.class);
        check(ZnodeKind.SERVED, path, () -> RecordRules.served(s));
        named(ZnodeKind.SERVED, path, s.itemId());
        inFolderOf(ZnodeKind.SERVED, path, s.workerId());
        return s;
    }

    /**
     * The rule that a worker is admitted only with its {@code assignments/<id>} folder (it creates
     * it before announcing itself): the leader writes there, and without it every assignment fails.
     */
    public static CorruptZnodeException workerWithoutFolder(String workerPath, String folder) {
        return new CorruptZnodeException(
                ZnodeKind.WORKER,
                workerPath,
                "its folder "
                        + folder
                        + " does not exist (a worker creates it before announcing itself)",
                null);
    }

    /** A name that must be a valid id (cancel and drain requests, worker folders); returns it. */
    public static String idName(ZnodeKind kind, String path) {
        String name = DroverPaths.nodeName(path);
        check(kind, path, () -> RecordRules.id("the node's name", name));
        return name;
    }

    // ---- helpers
    // ---------------------------------------------------------------------------------------

    private static <T> T parse(ZnodeKind kind, String path, byte[] data, Class<T> type) {
        try {
            return DroverJson.decode(path, data, type);
        } catch (CorruptZnodeException e) {
            throw e.as(kind);
        }
    }

    /**
     * Runs one rule; whatever it throws (a rule's own message, or a slip such as a null) names the
     * node.
     */
    private static void check(ZnodeKind kind, String path, Runnable rule) {
        try {
            rule.run();
        } catch (DroverException e) {
            throw new CorruptZnodeException(kind, path, e.getMessage(), null);
        } catch (RuntimeException e) {
            throw new CorruptZnodeException(kind, path, "unreadable (" + e + ")", e);
        }
    }

    private static void named(ZnodeKind kind, String path, String id) {
        String name = DroverPaths.nodeName(path);
        if (!name.equals(id)) {
            throw new CorruptZnodeException(
                    kind,
                    path,
                    "its data names " + quoted(id) + " but the node is " + quoted(name),
                    null);
        }
    }

    private static void bucketed(ZnodeKind kind, String path, String taskId) {
        // a decoder does not know the cluster's layout; fsck checks the bucket against it
        if (!Buckets.inSomeLayout(taskId, parentName(path))) {
            inBucket(kind, path, taskId, DroverPaths.bucketOf(taskId));
        }
    }

    /**
     * Checks that a task's node is in bucket {@code expected}, the one the cluster's layout gives
     * it; returns the id.
     */
    public static String inBucket(ZnodeKind kind, String path, String taskId, String expected) {
        String bucket = parentName(path);
        if (!bucket.equals(expected)) {
            throw new CorruptZnodeException(
                    kind,
                    path,
                    "task " + taskId + " belongs in bucket " + expected + ", not " + quoted(bucket),
                    null);
        }
        return taskId;
    }

    private static String parentName(String path) {
        return DroverPaths.nodeName(path.substring(0, Math.max(0, path.lastIndexOf('/'))));
    }

    private static void inFolderOf(ZnodeKind kind, String path, String workerId) {
        String folder = parentName(path);
        if (!folder.equals(workerId)) {
            throw new CorruptZnodeException(
                    kind,
                    path,
                    "its data names worker "
                            + quoted(workerId)
                            + " but it is in the folder of "
                            + quoted(folder),
                    null);
        }
    }

    static String quoted(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return "\"" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }
}
