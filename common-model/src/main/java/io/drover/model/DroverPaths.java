package io.drover.model;

import java.util.List;

/**
 * The ZooKeeper layout of one cluster, as one class. Every path Drover touches is built here; see
 * {@code docs/zk-layout.md} for who writes and who watches each. Thread-safe; immutable but for its
 * layout version, which {@link #adoptLayout} fixes once.
 */
public final class DroverPaths {
    /** The layout this Drover creates: 256 buckets per folder, each listing under 512 KiB. */
    public static final int LAYOUT_VERSION = 2;

    /** Buckets per bucketed folder in {@link #LAYOUT_VERSION}. */
    public static final int BUCKETS = 256;

    /** The names a cluster's root may hold; anything else is not Drover's ({@code drover fsck}). */
    public static final java.util.Set<String> ROOT_CHILDREN =
            java.util.Set.of(
                    ("layout acl leader coordinators workers tasks status pending assignments claims"
                                    + " done cancels drains types breakers waiting graphs broadcasts"
                                    + " schedules items loadqueue served quarantine")
                            .split(" "));

    private final String root;
    private final Buckets.Choice layout = new Buckets.Choice();
    private volatile int markerVersion = -1;

    /** The paths of {@code cluster} in this Drover's layout, until {@link #adoptLayout} says. */
    public DroverPaths(String cluster) {
        Names.checkName("cluster", cluster);
        this.root = "/drover/" + cluster;
    }

    /**
     * Uses the layout the cluster's marker names ({@code Layout.ensure}, before any bucketed path
     * is built). Once: adopting another layout later is a bug this throws for, as is an unknown
     * one.
     */
    public void adoptLayout(int layoutVersion) {
        layout.adopt(layoutVersion, root);
    }

    /**
     * As {@link #adoptLayout(int)}, from the marker at znode version {@code markerVersion}, which
     * writes straight from clients then {@code check} ({@code TaskStore}): none lands in a layout
     * that {@code drover layout upgrade} moved since.
     */
    public void adoptLayout(int layoutVersion, int markerVersion) {
        adoptLayout(layoutVersion);
        this.markerVersion = Math.max(this.markerVersion, markerVersion);
    }

    /** The znode version of the marker the layout was adopted from; -1 when not read from one. */
    public int layoutMarkerVersion() {
        return markerVersion;
    }

    /** The layout version these paths follow. */
    public int layoutVersion() {
        return layout.get().layoutVersion;
    }

    /** The bucket of a task id in this cluster's layout: two hex digits. */
    public String bucket(String taskId) {
        return layout.get().of(taskId);
    }

    public String root() {
        return root;
    }

    public String layoutMarker() {
        return root + "/layout";
    }

    /** The cluster's ACL policy ({@code io.drover.protocol.acl.AclPolicy}); absent: open ACLs. */
    public String aclPolicy() {
        return root + "/acl";
    }

    /** The leader's live counts per capped type ({@link LiveCounts}). */
    public String liveCounts() {
        return root + "/leader/live";
    }

    public String leaderLatch() {
        return root + "/leader/latch";
    }

    public String leaderEpoch() {
        return root + "/leader/epoch";
    }

    public String coordinators() {
        return root + "/coordinators";
    }

    public String coordinator(String id) {
        return coordinators() + "/" + id;
    }

    public String workers() {
        return root + "/workers";
    }

    public String worker(String id) {
        return workers() + "/" + id;
    }

    public String tasks() {
        return root + "/tasks";
    }

    public String task(String taskId) {
        return tasks() + "/" + bucket(taskId) + "/" + taskId;
    }

    public String statuses() {
        return root + "/status";
    }

    public String status(String taskId) {
        return statuses() + "/" + bucket(taskId) + "/" + taskId;
    }

    public String pending() {
        return root + "/pending";
    }

    public String pending(PendingEntry entry) {
        return pending(entry.taskId(), entry.key());
    }

    /** Where the pending entry of {@code taskId} under {@code key} is. */
    public String pending(String taskId, String key) {
        return pending() + "/" + bucket(taskId) + "/" + key;
    }

    /** Where the pending entry of a task submitted as {@code spec} is, when there is one. */
    public String pending(TaskSpec spec) {
        return pending()
                + "/"
                + bucket(spec.id())
                + "/"
                + PendingKey.of(spec.priority(), spec.submittedAtMs(), spec.submitSeq(), spec.id());
    }

    public String assignments() {
        return root + "/assignments";
    }

    public String assignments(String workerId) {
        return assignments() + "/" + workerId;
    }

    public String assignment(String workerId, String taskId) {
        return assignments(workerId) + "/" + taskId;
    }

    public String claims() {
        return root + "/claims";
    }

    public String claim(String taskId) {
        return claims() + "/" + taskId;
    }

    /** The retention index: terminal tasks by finish time, names only. */
    public String done() {
        return root + "/done";
    }

    public String done(String taskId, long finishedAtMs) {
        return done()
                + "/"
                + bucket(taskId)
                + "/"
                + PendingKey.pad(new StringBuilder(), finishedAtMs, 13).append('-').append(taskId);
    }

    public String cancels() {
        return root + "/cancels";
    }

    public String cancel(String taskId) {
        return cancels() + "/" + taskId;
    }

    /** Drain requests: {@code drains/<workerId>} asks that worker to take nothing new. */
    public String drains() {
        return root + "/drains";
    }

    public String drain(String workerId) {
        return drains() + "/" + workerId;
    }

    /** Desired state of load/drop items: {@code items/<itemId>} ({@link ItemSpec}). */
    public String items() {
        return root + "/items";
    }

    public String item(String itemId) {
        return items() + "/" + itemId;
    }

    /** The leader's LOAD/DROP commands, one folder per worker. */
    public String loadQueue() {
        return root + "/loadqueue";
    }

    public String loadQueue(String workerId) {
        return loadQueue() + "/" + workerId;
    }

    public String loadCommand(String workerId, String itemId) {
        return loadQueue(workerId) + "/" + itemId;
    }

    /** What workers serve: {@code served/<workerId>/<itemId>}, ephemeral. */
    public String served() {
        return root + "/served";
    }

    public String served(String workerId) {
        return served() + "/" + workerId;
    }

    public String servedItem(String workerId, String itemId) {
        return served(workerId) + "/" + itemId;
    }

    public String types() {
        return root + "/types";
    }

    public String type(String type) {
        return types() + "/" + type;
    }

    public String breakers() {
        return root + "/breakers";
    }

    public String breaker(String type) {
        return breakers() + "/" + type;
    }

    /** WAITING tasks (dependencies), bucketed like {@link #pending()}: {@code waiting/<b>/<id>}. */
    public String waiting() {
        return root + "/waiting";
    }

    public String waiting(String taskId) {
        return waiting() + "/" + bucket(taskId) + "/" + taskId;
    }

    /** Task graphs submitted as a unit: {@code graphs/<graphId>}. */
    public String graphs() {
        return root + "/graphs";
    }

    public String graph(String graphId) {
        return graphs() + "/" + graphId;
    }

    /** Broadcasts fanned out and gathering their responses: {@code broadcasts/<taskId>}. */
    public String broadcasts() {
        return root + "/broadcasts";
    }

    public String broadcast(String taskId) {
        return broadcasts() + "/" + taskId;
    }

    /** Cron schedules: {@code schedules/<scheduleId>}. */
    public String schedules() {
        return root + "/schedules";
    }

    public String schedule(String scheduleId) {
        return schedules() + "/" + scheduleId;
    }

    /** All bucket folders under a bucketed root such as {@link #done()}, in this layout. */
    public List<String> buckets(String bucketedRoot) {
        return layout.get().folders(bucketedRoot);
    }

    /** Last segment of a path. */
    public static String nodeName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The bucket of a task id in {@link #LAYOUT_VERSION}; a cluster's own is {@link #bucket}. */
    public static String bucketOf(String taskId) {
        return Buckets.LAYOUT_2.of(taskId);
    }
}
