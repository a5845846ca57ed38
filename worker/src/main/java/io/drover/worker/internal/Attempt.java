package io.drover.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.drover.model.Assignment;
import io.drover.model.DroverJson;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.worker.TaskContext;
import java.util.concurrent.Future;

/** One attempt on this worker, from claim to commit. Mutable fields are touched on the event thread only, except {@code cancelled}. */
final class Attempt implements TaskContext {
    enum Phase { CLAIMING, RUNNING, COMMITTING, HANDING_BACK, DONE }

    final Assignment assignment;
    final String workerId;
    Phase phase = Phase.CLAIMING;
    TaskSpec spec;
    /** The status as this attempt wrote it at claim, and the znode version that write produced. */
    TaskStatus runningStatus;
    int runningVersion;
    long token;
    Future<?> handlerFuture;
    /** Written by the handler's thread: it holds a pool thread between the two. */
    volatile boolean handlerStarted;
    volatile boolean handlerDone;
    private volatile boolean cancelled;

    Attempt(Assignment assignment, String workerId) {
        this.assignment = assignment;
        this.workerId = workerId;
    }

    void cancel() {
        cancelled = true;
        Future<?> f = handlerFuture;
        if (f != null) {
            f.cancel(true);
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

    @Override
    public JsonNode payload() {
        return spec.payload() == null ? NullNode.getInstance() : spec.payload();
    }

    @Override
    public <T> T payloadAs(Class<T> type) {
        try {
            return DroverJson.mapper().treeToValue(payload(), type);
        } catch (Exception e) {
            throw new IllegalArgumentException("payload of task " + taskId() + " does not fit " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
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
        return cancelled;
    }
}
