package io.drover.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.drover.model.Assignment;
import io.drover.model.DroverJson;
import io.drover.model.Progress;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.worker.TaskContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One attempt on this worker, from claim to commit. Plain fields are touched on the worker's event
 * thread only; volatile ones are also written by the handler's thread.
 */
final class Attempt implements TaskContext {
    final Assignment assignment;
    final String workerId;
    private final Consumer<Attempt> onProgress;

    /** Moved by {@link AttemptMachine} only. */
    AttemptState state = AttemptState.CLAIMING;

    /** The spec, read while the claim is in flight (or carried by the assignment). */
    CompletableFuture<Optional<TaskSpec>> specRead;

    TaskSpec spec;

    /** The results of the tasks it depends on, read with the spec. */
    volatile Map<String, JsonNode> dependencyResults = Map.of();

    /** The status as this attempt last wrote it, and the znode version that write produced. */
    TaskStatus runningStatus;

    int runningVersion;

    /** What the commit wrote, once ZooKeeper accepted it (for the COMMITTED event). */
    TaskStatus committed;

    long token;
    Future<?> handlerFuture;

    /** Completes when the attempt is over on this worker. */
    final CompletableFuture<Void> settled = new CompletableFuture<>();

    /** The last status write (progress) in flight; the commit goes after it. */
    CompletableFuture<?> statusWrite = CompletableFuture.completedFuture(null);

    ScheduledFuture<?> timeout;
    ScheduledFuture<?> cancelDeadline;
    long lastProgressWriteMs;
    final AtomicBoolean progressScheduled = new AtomicBoolean();
    volatile Progress latestProgress;
    volatile boolean handlerStarted;
    volatile boolean handlerDone;
    private volatile boolean stopping;

    Attempt(Assignment assignment, String workerId, Consumer<Attempt> onProgress) {
        this.assignment = assignment;
        this.workerId = workerId;
        this.onProgress = onProgress;
    }

    /** Asks the handler to stop: the flag it can poll, and an interrupt. */
    void stop() {
        stopping = true;
        Future<?> f = handlerFuture;
        if (f != null) {
            f.cancel(true);
        }
    }

    void cancelTimers() {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (cancelDeadline != null) {
            cancelDeadline.cancel(false);
        }
    }

    @Override
    public String taskId() {
        return assignment.taskId();
    }

    @Override
    public String type() {
        return assignment.status().type();
    }

    /**
     * The type whose handler runs this attempt: the task's own, or the fallback the leader named
     * while the type's circuit breaker is open.
     */
    String handlerType() {
        String runAs = assignment.status().runAs();
        return runAs != null ? runAs : type();
    }

    @Override
    public JsonNode payload() {
        return spec.payload() == null ? NullNode.getInstance() : spec.payload();
    }

    @Override
    public <T> T payloadAs(Class<T> type) {
        try {
            return DroverJson.mapper().treeToValue(payload(), type);
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "payload of task "
                            + taskId()
                            + " does not fit "
                            + type.getSimpleName()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public Map<String, JsonNode> dependencyResults() {
        return dependencyResults;
    }

    @Override
    public int attempt() {
        return assignment.status().attempt();
    }

    @Override
    public long fencingToken() {
        return token;
    }

    @Override
    public String workerId() {
        return workerId;
    }

    @Override
    public boolean isCancelled() {
        return stopping;
    }

    @Override
    public void reportProgress(int percent, String message) {
        latestProgress = Progress.of(percent, message, System.currentTimeMillis());
        onProgress.accept(this);
    }
}
