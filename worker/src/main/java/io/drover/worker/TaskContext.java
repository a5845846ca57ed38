package io.drover.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What a handler knows about the attempt it runs. Immutable apart from {@link #isCancelled()}; safe
 * to use from any thread.
 */
public interface TaskContext {
    String taskId();

    /**
     * The task's own type. A handler run as its circuit breaker's fallback (docs/policies.md) sees
     * the original type here, not the one it was registered for.
     */
    String type();

    /** The payload as submitted; a JSON null node when there was none. */
    JsonNode payload();

    /**
     * The payload bound to a class with Jackson; throws {@link IllegalArgumentException} if it does
     * not fit.
     */
    <T> T payloadAs(Class<T> type);

    /**
     * The results of the tasks this one depends on ({@code dependsOn}), by task id in the order the
     * spec names them: each one's result, or a JSON null node when it has none (it returned
     * nothing, or it failed or was cancelled and this task runs anyway). A dependency deleted since
     * (by retention, after this task was released) is absent. Read once as the attempt starts, one
     * status read per dependency batched into read-only multis of up to 100, so a fan-in of 1,000
     * costs about 10 requests and holds the 1,000 results in memory; empty for a task without
     * dependencies. Immutable.
     */
    default Map<String, JsonNode> dependencyResults() {
        return Map.of();
    }

    /** 1-based attempt number. */
    int attempt();

    /**
     * A number that grows with every attempt of every task in the cluster (the ZooKeeper zxid of
     * the claim). A downstream store that remembers the highest token it accepted per task can
     * reject a stale attempt's late writes.
     */
    long fencingToken();

    String workerId();

    /**
     * True once the attempt should stop: the task was cancelled, timed out, or the attempt was
     * abandoned (worker stopping, session lost, assignment revoked). The handler's thread is also
     * interrupted; a handler that cannot be interrupted should poll this.
     */
    boolean isCancelled();

    /**
     * Reports progress, 0 to 100 with a short message (cut at 200 characters). Cheap and
     * non-blocking: writes to ZooKeeper are coalesced to at most one per task per progress interval
     * of the worker (default 1 s), the latest value winning. Callable from any thread.
     */
    void reportProgress(int percent, String message);
}
