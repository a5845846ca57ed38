package io.drover.store;

import io.drover.model.DroverPaths;
import io.drover.model.InvalidTaskException;
import io.drover.model.Names;
import io.drover.model.TaskConflictException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.DependencyTransitions;
import io.drover.protocol.TaskTransitions;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.runtime.BatchedReader;
import io.drover.protocol.runtime.MultiBatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/**
 * Reads and writes tasks directly in ZooKeeper. Submission works with or without a leader: it
 * writes spec, status (PENDING) and the pending index entry in one {@code multi}; concurrent
 * submissions are group-committed into shared multis by a {@link MultiBatcher}.
 *
 * <p>Thread-safe; all methods are asynchronous and never block. Returned futures complete on the
 * ZooKeeper event thread, so dependents must not block.
 */
public final class TaskStore {
    private final CuratorFramework client;
    private final DroverPaths paths;
    private final StoreOptions options;
    private final LayoutFence writes;
    private final TaskTransitions transitions;
    private final DependencyTransitions dependencies;
    private final Admission admission;
    private final Reruns reruns;
    private final BatchedReader reads;

    public TaskStore(CuratorFramework client, DroverPaths paths, StoreOptions options) {
        this(client, paths, options, null);
    }

    /**
     * With {@code reads}, every read goes through that group-committed reader: one request per
     * batch instead of one per znode, but no retry by Curator on a lost connection (the read
     * fails). For the leader, which reads a status whenever an assignment ends and whose term ends
     * with its connection anyway.
     */
    public TaskStore(
            CuratorFramework client, DroverPaths paths, StoreOptions options, BatchedReader reads) {
        this.client = client;
        this.reads = reads;
        this.paths = paths;
        this.options = options;
        this.transitions = new TaskTransitions(client, paths);
        this.dependencies = new DependencyTransitions(client, paths);
        this.admission = new Admission(client, paths, options);
        this.writes = new LayoutFence(client, paths, options.maxBatchOps(), this::read);
        this.reruns = new Reruns(this, transitions, dependencies, admission, writes);
    }

    public DroverPaths paths() {
        return paths;
    }

    Admission admission() {
        return admission;
    }

    StoreOptions options() {
        return options;
    }

    /**
     * Validates and submits one task. Resubmitting the same id with the same spec answers {@code
     * created=false}; with a different spec it fails with {@link TaskConflictException}. Invalid
     * specs fail at once with {@link io.drover.model.InvalidTaskException} and write nothing, and
     * so does a submission beyond the cluster's cap on live tasks ({@link
     * io.drover.model.QuotaExceededException}, retryable). A task with dependencies ({@link
     * TaskSpec#dependsOn()}) starts WAITING; one on a task that does not exist fails with an {@link
     * InvalidTaskException} naming it.
     */
    public CompletableFuture<SubmitResult> submit(TaskSpec spec) {
        return submit(spec, null);
    }

    /**
     * As {@link #submit(TaskSpec)}, on behalf of a principal the caller authenticated: the spec
     * records it ({@code submittedBy}), and the principal's own cap on live tasks applies too.
     *
     * @param quota null: nobody in particular
     */
    public CompletableFuture<SubmitResult> submit(TaskSpec spec, SubmitterQuota quota) {
        return submit(quota == null ? spec : spec.withSubmittedBy(quota.principal()), quota, 3);
    }

    private CompletableFuture<SubmitResult> submit(
            TaskSpec spec, SubmitterQuota quota, int triesLeft) {
        TaskSpec stamped;
        byte[] specBytes;
        try {
            PreparedSpec prepared = PreparedSpec.of(spec, options);
            stamped = prepared.spec();
            specBytes = prepared.bytes();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<CuratorOp> ops;
        try {
            ops =
                    stamped.dependsOn().isEmpty()
                            ? transitions.submit(stamped, specBytes).ops()
                            : dependencies.submit(stamped, specBytes, stamped.dependsOn());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        long bytes = specBytes.length;
        return admission
                .admit(
                        stamped.type(),
                        quota == null ? null : quota.principal(),
                        quota == null ? 0 : quota.maxLiveTasks(),
                        bytes)
                .thenCompose(admitted -> writes.submit(ops))
                .thenApply(results -> new SubmitResult(stamped.id(), true))
                .exceptionallyCompose(
                        e -> onSubmitFailure(stamped, quota, ZooKeeperCalls.unwrap(e), triesLeft));
    }

    /**
     * Runs a FAILED or CANCELLED task again as a new series of attempts ({@link
     * TaskStatus#rerun()}): completes with its PENDING status, or fails with {@link
     * io.drover.model.TaskNotFoundException}, {@link io.drover.model.RerunRefusedException} (not
     * FAILED or CANCELLED, or someone re-ran it first) or a quota error, as submission does.
     *
     * @param quota who asks (null: nobody in particular)
     */
    public CompletableFuture<TaskStatus> rerun(String taskId, SubmitterQuota quota) {
        InvalidTaskException bad = badId(taskId);
        return bad != null ? CompletableFuture.failedFuture(bad) : reruns.rerun(taskId, quota);
    }

    /** Submits many tasks pipelined; the list of futures is in input order. */
    public List<CompletableFuture<SubmitResult>> submitAll(List<TaskSpec> specs) {
        return submitAll(specs, null);
    }

    /**
     * As {@link #submitAll(List)}, on behalf of a principal ({@link #submit(TaskSpec,
     * SubmitterQuota)}).
     */
    public List<CompletableFuture<SubmitResult>> submitAll(
            List<TaskSpec> specs, SubmitterQuota quota) {
        List<CompletableFuture<SubmitResult>> out = new ArrayList<>(specs.size());
        long now = System.currentTimeMillis();
        for (TaskSpec spec : specs) {
            out.add(submit(spec.submittedAtMs() > 0 ? spec : spec.withSubmittedAtMs(now), quota));
        }
        return out;
    }

    private CompletableFuture<SubmitResult> onSubmitFailure(
            TaskSpec spec, SubmitterQuota quota, Throwable e, int triesLeft) {
        String missing = dependencies.missingTask(e);
        if (missing != null) {
            return CompletableFuture.failedFuture(
                    new InvalidTaskException(
                            "dependsOn", "names task " + missing + ", which does not exist"));
        }
        if (!(e instanceof KeeperException.NodeExistsException)) {
            return CompletableFuture.failedFuture(
                    ZooKeeperCalls.translate("submit task " + spec.id(), e));
        }
        return spec(spec.id())
                .thenCompose(
                        existing -> {
                            if (existing.isEmpty() && triesLeft > 0) {
                                // The clash was with a submission of the same id in the same batch,
                                // resent after us: try again.
                                return submit(spec, quota, triesLeft - 1);
                            }
                            if (existing.isPresent() && existing.get().sameTask(spec)) {
                                return CompletableFuture.completedFuture(
                                        new SubmitResult(spec.id(), false));
                            }
                            return CompletableFuture.failedFuture(
                                    new TaskConflictException(spec.id()));
                        });
    }

    /** The spec of a task, empty if there is none. */
    public CompletableFuture<Optional<TaskSpec>> spec(String taskId) {
        InvalidTaskException bad = badId(taskId);
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        String path = paths.task(taskId);
        return read(path).thenApply(v -> v.map(d -> Znodes.spec(path, d.value())));
    }

    /** The status of a task with its znode version, empty if there is none. */
    public CompletableFuture<Optional<Versioned<TaskStatus>>> status(String taskId) {
        InvalidTaskException bad = badId(taskId);
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        String path = paths.status(taskId);
        return read(path)
                .thenApply(
                        v ->
                                v.map(
                                        d ->
                                                new Versioned<>(
                                                        Znodes.status(path, d.value()),
                                                        d.version(),
                                                        d.zxid())));
    }

    /**
     * Ids from outside (an API, a CLI argument) become znode paths: a bad one must be a clear
     * "invalid id", not a path error that reads as a ZooKeeper outage.
     */
    private static InvalidTaskException badId(String taskId) {
        try {
            Names.checkId("id", taskId);
            return null;
        } catch (InvalidTaskException e) {
            return e;
        }
    }

    /** Reads a znode's bytes and version; empty when it does not exist. */
    public CompletableFuture<Optional<Versioned<byte[]>>> read(String path) {
        if (reads != null) {
            return reads.read(path)
                    .exceptionallyCompose(
                            e ->
                                    CompletableFuture.failedFuture(
                                            ZooKeeperCalls.translate("read " + path, e)));
        }
        CompletableFuture<Optional<Versioned<byte[]>>> f = new CompletableFuture<>();
        try {
            client.getData()
                    .inBackground(
                            (c, event) -> {
                                KeeperException.Code rc =
                                        KeeperException.Code.get(event.getResultCode());
                                if (rc == KeeperException.Code.OK) {
                                    f.complete(
                                            Optional.of(
                                                    new Versioned<>(
                                                            event.getData(),
                                                            event.getStat().getVersion(),
                                                            event.getStat().getMzxid())));
                                } else if (rc == KeeperException.Code.NONODE) {
                                    f.complete(Optional.empty());
                                } else {
                                    f.completeExceptionally(
                                            ZooKeeperCalls.translate(
                                                    "read " + path,
                                                    KeeperException.create(rc, path)));
                                }
                            })
                    .forPath(path);
        } catch (Exception e) {
            f.completeExceptionally(ZooKeeperCalls.translate("read " + path, e));
        }
        return f;
    }

    /** Fails queued submissions; the Curator client is the caller's to close. */
    public void close() {
        writes.close();
    }
}
