package io.drover.store;

import io.drover.model.AccessDeniedException;
import io.drover.model.DroverPaths;
import io.drover.model.RerunRefusedException;
import io.drover.model.TaskNotFoundException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.model.WaitingStatus;
import io.drover.protocol.DependencyTransitions;
import io.drover.protocol.TaskTransitions;
import io.drover.protocol.ZooKeeperCalls;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/**
 * Runs an ended task again ({@link TaskStore#rerun}): reads status, spec, the retention index entry
 * and any cancel request, admits the task as live again (the caps of submission apply: it will be
 * pending), and sends the one multi of {@link TaskTransitions#rerun} (of {@link
 * DependencyTransitions#rerun} for a task with dependencies: it waits for them again). The status
 * version is the fence: of concurrent re-runs one wins, the others find the task PENDING and are
 * refused. A multi that fails on anything else (the retention entry or cancel request went
 * meanwhile) is read and tried again, a few times. Thread-safe; asynchronous.
 */
final class Reruns {
    private static final int TRIES = 3;

    private final TaskStore store;
    private final DroverPaths paths;
    private final TaskTransitions transitions;
    private final DependencyTransitions dependencies;
    private final Admission admission;
    private final LayoutFence writes;

    Reruns(
            TaskStore store,
            TaskTransitions transitions,
            DependencyTransitions dependencies,
            Admission admission,
            LayoutFence writes) {
        this.store = store;
        this.paths = store.paths();
        this.transitions = transitions;
        this.dependencies = dependencies;
        this.admission = admission;
        this.writes = writes;
    }

    CompletableFuture<TaskStatus> rerun(String taskId, SubmitterQuota quota) {
        return tryOnce(taskId, quota, TRIES);
    }

    private CompletableFuture<TaskStatus> tryOnce(String taskId, SubmitterQuota quota, int tries) {
        return store.status(taskId)
                .thenCompose(
                        status -> {
                            Versioned<TaskStatus> ended =
                                    status.orElseThrow(() -> new TaskNotFoundException(taskId));
                            TaskState state = ended.value().state();
                            if (state != TaskState.FAILED && state != TaskState.CANCELLED) {
                                throw new RerunRefusedException(taskId, state);
                            }
                            return read(taskId, ended)
                                    .thenCompose(read -> send(taskId, quota, ended, read, tries));
                        });
    }

    private record Read(TaskSpec spec, boolean indexed, boolean cancelRequested) {}

    private CompletableFuture<Read> read(String taskId, Versioned<TaskStatus> ended) {
        CompletableFuture<Optional<TaskSpec>> spec = store.spec(taskId);
        CompletableFuture<Boolean> indexed =
                exists(paths.done(taskId, ended.value().finishedAtMs()));
        CompletableFuture<Boolean> cancel = exists(paths.cancel(taskId));
        return CompletableFuture.allOf(spec, indexed, cancel)
                .thenApply(
                        v ->
                                new Read(
                                        spec.join()
                                                .orElseThrow(
                                                        () ->
                                                                new RerunRefusedException(
                                                                        taskId,
                                                                        ended.value().state(),
                                                                        "its spec is gone")),
                                        indexed.join(),
                                        cancel.join()));
    }

    private CompletableFuture<Boolean> exists(String path) {
        return store.read(path).thenApply(Optional::isPresent);
    }

    private CompletableFuture<TaskStatus> send(
            String taskId,
            SubmitterQuota quota,
            Versioned<TaskStatus> ended,
            Read read,
            int tries) {
        TaskStatus s = ended.value();
        List<CuratorOp> ops;
        TaskStatus next;
        try {
            if (read.spec().dependsOn().isEmpty()) {
                TaskTransitions.Submission rerun =
                        transitions.rerun(
                                read.spec(), ended, read.indexed(), read.cancelRequested());
                ops = rerun.ops();
                next = rerun.entry().status();
            } else { // it waits for its dependencies again
                ops =
                        dependencies.rerun(
                                read.spec(), ended, read.indexed(), read.cancelRequested());
                next = WaitingStatus.rerun(s);
            }
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        // The task counts against its submitter's live tasks again; that principal's own cap
        // applies when it is the one asking (another caller's cap is not the task's).
        boolean own = quota != null && quota.principal().equals(s.submittedBy());
        return admission
                .admit(s.type(), s.submittedBy(), own ? quota.maxLiveTasks() : 0, s.specBytes())
                .thenCompose(admitted -> writes.submit(ops))
                .thenApply(results -> next)
                .exceptionallyCompose(e -> onFailure(taskId, quota, e, tries));
    }

    private CompletableFuture<TaskStatus> onFailure(
            String taskId, SubmitterQuota quota, Throwable e, int tries) {
        Throwable cause = ZooKeeperCalls.unwrap(e);
        if (cause instanceof KeeperException.NoAuthException) {
            return CompletableFuture.failedFuture(
                    new AccessDeniedException(
                            "cannot retry task "
                                    + taskId
                                    + ": ZooKeeper refused this identity (a re-run rewrites the"
                                    + " status and the retention index, which under the cluster's"
                                    + " ACL policy only coordinators may do: retry through the"
                                    + " HTTP API)",
                            cause));
        }
        if (cause instanceof KeeperException && !ZooKeeperCalls.isConnectionProblem(cause)) {
            if (tries > 1) {
                // Someone moved first (a re-run, retention, the leader clearing a request): look
                // again; a task no longer FAILED or CANCELLED is refused there.
                return tryOnce(taskId, quota, tries - 1);
            }
        }
        return CompletableFuture.failedFuture(
                ZooKeeperCalls.translate("retry task " + taskId, cause));
    }
}
