package io.drover.client;

import io.drover.model.DroverPaths;
import io.drover.model.TaskNotFoundException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.ZooKeeperClients;
import io.drover.protocol.ZooKeeperSecurity;
import io.drover.store.GraphStore;
import io.drover.store.Layout;
import io.drover.store.StoreOptions;
import io.drover.store.SubmitResult;
import io.drover.store.TaskStore;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * The Java client: submits tasks straight to ZooKeeper (no leader needed), reads statuses, and
 * waits for completion with a watch on the status of each task it waits for, and nothing else. For
 * example, {@code client.call(TaskSpec.builder("echo").payloadJson("{}").build(),
 * Duration.ofSeconds(30))} returns the task's result.
 *
 * <p>Thread-safe. Asynchronous methods never block; their futures complete on ZooKeeper's event
 * thread, so do not block in dependents. {@code await}, {@code awaitAll} and {@code call} block the
 * caller.
 */
public final class DroverClient implements Closeable {
    private final CuratorFramework client;
    private final boolean ownsClient;
    private final TaskStore store;
    private final io.drover.store.ItemStore items;
    private final io.drover.store.ScheduleStore schedules;
    private final GraphStore graphs;
    private final StatusWatcher watcher;
    private final PendingExplainer explainer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DroverClient(
            CuratorFramework client, boolean ownsClient, String cluster, StoreOptions options) {
        this.client = client;
        this.ownsClient = ownsClient;
        DroverPaths paths = new DroverPaths(cluster);
        Layout.ensure(client, paths);
        this.store = new TaskStore(client, paths, options);
        this.items = new io.drover.store.ItemStore(client, paths);
        this.schedules = new io.drover.store.ScheduleStore(client, paths, options.maxTaskBytes());
        this.graphs = new GraphStore(client, store);
        this.watcher = new StatusWatcher(client, paths);
        this.explainer = new PendingExplainer(client, store);
    }

    /**
     * Connects with its own ZooKeeper session (closed by {@link #close()}). Blocks until connected
     * or 30 s.
     */
    public static DroverClient connect(String connectString, String cluster) {
        return connect(connectString, cluster, StoreOptions.defaults());
    }

    /** As {@link #connect(String, String)}, with other limits (a higher cap on live tasks, say). */
    public static DroverClient connect(String connectString, String cluster, StoreOptions options) {
        return connect(connectString, cluster, options, ZooKeeperSecurity.none());
    }

    /**
     * As {@link #connect(String, String, StoreOptions)}, with ZooKeeper credentials (for a cluster
     * with an ACL policy: the client role's).
     */
    public static DroverClient connect(
            String connectString,
            String cluster,
            StoreOptions options,
            ZooKeeperSecurity security) {
        CuratorFramework c =
                ZooKeeperClients.startAndConnect(
                        ZooKeeperClients.newClient(
                                connectString,
                                ZooKeeperClients.DEFAULT_SESSION_TIMEOUT,
                                ZooKeeperClients.DEFAULT_CONNECTION_TIMEOUT,
                                security),
                        connectString);
        try {
            return new DroverClient(c, true, cluster, options);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Uses a started client that the caller owns and closes. */
    public static DroverClient using(
            CuratorFramework client, String cluster, StoreOptions options) {
        return new DroverClient(client, false, cluster, options);
    }

    public CompletableFuture<SubmitResult> submit(TaskSpec spec) {
        return store.submit(spec);
    }

    /** Submits pipelined, group-committed into shared multis; futures in input order. */
    public List<CompletableFuture<SubmitResult>> submitAll(List<TaskSpec> specs) {
        return store.submitAll(specs);
    }

    public CompletableFuture<TaskStatus> status(String taskId) {
        return store.status(taskId)
                .thenApply(
                        s ->
                                s.map(Versioned::value)
                                        .orElseThrow(() -> new TaskNotFoundException(taskId)));
    }

    /**
     * Completes when the task reaches a terminal state, or fails with {@link
     * TaskNotFoundException}. {@code onChange} (may be null) sees the statuses read on the way, on
     * the ZooKeeper event thread: it must not block.
     */
    public CompletableFuture<TaskStatus> whenDone(String taskId, Consumer<TaskStatus> onChange) {
        return watcher.await(taskId, onChange);
    }

    /** ZooKeeper notifications this client received while waiting for tasks (for measurements). */
    public long statusNotifications() {
        return watcher.notifications();
    }

    /**
     * Request/response: submits the task, waits for its end and returns its result (JSON {@code
     * null} when the handler returned nothing). Blocks the calling thread for at most {@code
     * timeout}, the submission included; the wait is a watch on this task's status, as {@link
     * #whenDone}. A spec whose id (or idempotency key) names a task submitted before finds that
     * task and waits for it instead of running it again.
     *
     * @throws io.drover.model.CallFailedException the task failed; {@code isRetryable()} says
     *     whether it used all its attempts (running it again may help) or failed for good
     * @throws io.drover.model.CallCancelledException the task was cancelled
     * @throws io.drover.model.CallTimeoutException the task did not end in time; it may still run
     *     (wait for it by {@code taskId()})
     * @throws io.drover.model.DroverException the submission was refused (bad spec, cap on live
     *     tasks) or ZooKeeper could not be reached
     */
    public com.fasterxml.jackson.databind.JsonNode call(TaskSpec spec, Duration timeout)
            throws InterruptedException {
        return Calls.call(this, spec, timeout);
    }

    /** Blocks until the task is terminal; throws {@link TimeoutException} after {@code timeout}. */
    public TaskStatus await(String taskId, Duration timeout)
            throws TimeoutException, InterruptedException {
        return Calls.get(whenDone(taskId, null), timeout);
    }

    /** Blocks until every task is terminal or the timeout passes; statuses in input order. */
    public List<TaskStatus> awaitAll(List<String> taskIds, Duration timeout)
            throws TimeoutException, InterruptedException {
        List<CompletableFuture<TaskStatus>> futures = new ArrayList<>(taskIds.size());
        taskIds.forEach(id -> futures.add(whenDone(id, null)));
        try {
            Calls.get(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)), timeout);
        } catch (TimeoutException | InterruptedException e) {
            futures.forEach(f -> f.cancel(false));
            throw e;
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    /**
     * Asks for a task to be cancelled. The request is recorded in ZooKeeper ({@code cancels/<id>})
     * and carried out by the leader (pending or assigned tasks) or the running worker (it
     * interrupts the handler and commits CANCELLED). Cancelling an ended task is a no-op that says
     * so. Fails with {@link TaskNotFoundException} for an unknown id.
     */
    public CompletableFuture<CancelResult> cancel(String taskId) {
        return status(taskId).thenCompose(s -> Cancels.request(client, store.paths(), s));
    }

    /**
     * Runs a FAILED or CANCELLED task again ({@link TaskStore#rerun}); under an ACL policy only the
     * coordinator identity may (so the HTTP API's retry does it).
     */
    public CompletableFuture<TaskStatus> retry(String taskId) {
        return store.rerun(taskId, null);
    }

    /**
     * Says why a task is still pending (no capable worker, full, limit, breaker, not-before, no
     * leader). Blocking.
     */
    public PendingExplanation explain(String taskId) {
        try {
            return explainer.explain(taskId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ZooKeeperCalls.translate("explain task " + taskId, e);
        } catch (Exception e) {
            throw ZooKeeperCalls.translate("explain task " + taskId, e);
        }
    }

    /**
     * Sets a task type's cluster-wide policy (concurrency limit, rate limit, circuit breaker and
     * what it does while open); the leader applies it at once. Blocking.
     */
    public void setTypePolicy(String type, io.drover.model.TypePolicy policy) {
        io.drover.model.Names.checkName("type", type);
        if (policy == null) {
            throw new io.drover.model.InvalidTaskException("policy", "is required");
        }
        byte[] data = io.drover.model.DroverJson.encode(policy.validateFor(type));
        String path = store.paths().type(type);
        try {
            try {
                client.create().forPath(path, data);
            } catch (KeeperException.NodeExistsException exists) {
                client.setData().forPath(path, data);
            }
        } catch (Exception e) {
            throw ZooKeeperCalls.translate("set the policy of type " + type, e);
        }
    }

    /** The visible state of a type's circuit breaker; CLOSED if it never tripped. */
    public io.drover.model.BreakerState breakerState(String type) {
        String path = store.paths().breaker(type);
        return store.read(path)
                .join()
                .map(v -> io.drover.protocol.Znodes.breaker(path, v.value()))
                .orElse(
                        new io.drover.model.BreakerState(
                                1, io.drover.model.BreakerState.State.CLOSED, 0, 0, 0));
    }

    /** Declare, read and remove load/drop items (blocking calls; see {@link ItemStore}). */
    public io.drover.store.ItemStore items() {
        return items;
    }

    /** Define, pause and remove cron schedules (blocking calls; see {@link ScheduleStore}). */
    public io.drover.store.ScheduleStore schedules() {
        return schedules;
    }

    /** Submit, read, cancel and re-run graphs of tasks (blocking calls; see {@link GraphStore}). */
    public GraphStore graphs() {
        return graphs;
    }

    public TaskStore store() {
        return store;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        watcher.close();
        graphs.close();
        store.close();
        if (ownsClient) {
            client.close();
        }
    }
}
