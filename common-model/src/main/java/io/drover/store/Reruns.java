package io.drover.store;

import io.drover.model.AccessDeniedException;
import io.drover.model.DroverPaths;
import io.drover.model.RerunRefusedException;
import io.drover.model.TaskNotFoundException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.TaskTransitions;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.runtime.MultiBatcher;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.zookeeper.KeeperException;

/**
 * Runs an ended task again ({@link TaskStore#rerun}): reads status, spec, the retention index entry
 * and any cancel request, admits the task as live again (the caps of submission apply: it will be
 * pending), and sends the one multi of {@link TaskTransitions#rerun}. The status version is the
 * fence: of concurrent re-runs one wins, the others find the task PENDING and are refused. A multi
 * that fails on anything else (the retention entry or cancel request went meanwhile) is read and
 * tried again, a few times. Thread-safe; asynchronous.
 */
final class Reruns {
    private static final int TRIES = 3;

    private final TaskStore store;
    private final DroverPaths paths;
    private final TaskTransitions transitions;
    private final LiveTasks live;
    private final LeaderCounts counts;
    private final MultiBatcher batcher;

    Reruns(
            TaskStore store,
            TaskTransitions transitions,
            LiveTasks live,
            LeaderCounts counts,
            MultiBatcher batcher) {
        this.store = store;
        this.paths = store.paths();
        this.transitions = transitions;
        this.live = live;
        this.counts = counts;
        this.batcher = batcher;
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
        TaskTransitions.Submission rerun;
        try {
            rerun = transitions.rerun(read.spec(), ended, read.indexed(), read.cancelRequested());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        TaskStatus s = ended.value();
        // The task counts against its submitter's live tasks again; that principal's own cap
        // applies when it is the one asking (another caller's cap is not the task's).
        boolean own = quota != null && quota.principal().equals(s.submittedBy());
        return live.admit()
                .thenCompose(
                        admitted ->
                                counts.admit(
                                        s.type(),
                                        s.submittedBy(),
                                        own ? quota.maxLiveTasks() : 0,
                                        s.specBytes()))
                .exceptionallyCompose(
                        e ->
                                CompletableFuture.failedFuture(
                                        ZooKeeperCalls.translate("count live tasks", e)))
                .thenCompose(admitted -> batcher.submit(rerun.ops()))
                .thenApply(results -> rerun.entry().status())
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
