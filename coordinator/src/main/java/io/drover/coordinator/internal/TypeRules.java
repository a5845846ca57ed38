package io.drover.coordinator.internal;

import io.drover.model.BreakerState;
import io.drover.model.CircuitBreakerPolicy;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.TypePolicy;
import io.drover.model.Versioned;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperCalls;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-type rules the leader enforces: cluster-wide concurrency limits and circuit breakers
 * (policies from {@code types/}), with breaker transitions written to {@code breakers/} so they are
 * visible and survive failover. Leader thread only.
 */
final class TypeRules {
    private static final Logger LOG = LoggerFactory.getLogger(TypeRules.class);

    private final LeaderContext ctx;
    private final BooleanSupplier active;
    private final Runnable requestPass;
    private final Map<String, TypePolicy> policies = new HashMap<>();

    /** The types that cap their live tasks, and their caps. Leader thread only. */
    Map<String, Long> liveTaskCaps() {
        Map<String, Long> out = new HashMap<>();
        policies.forEach(
                (type, p) -> {
                    if (p.maxLiveTasks() > 0) {
                        out.put(type, p.maxLiveTasks());
                    }
                });
        return out;
    }

    private final Set<String> breakerNodes = new HashSet<>();

    /**
     * Breaker states not yet written, newest per type; a type is here while its write is in flight.
     */
    private final Map<String, BreakerState> unwritten = new HashMap<>();

    private final Breakers breakers;
    private final CuratorCache typeCache;

    TypeRules(LeaderContext ctx, BooleanSupplier active, Runnable requestPass) {
        this.ctx = ctx;
        this.active = active;
        this.requestPass = requestPass;
        this.breakers = new Breakers(this::breakerPolicy, this::persist);
        this.typeCache = CuratorCache.build(ctx.client(), ctx.paths().types());
    }

    /**
     * Watches {@code types/} on the leader's thread; {@code initialized} runs once the first
     * listing is in.
     */
    void start(Runnable initialized) {
        typeCache
                .listenable()
                .addListener(
                        CuratorCacheListener.builder()
                                .forCreatesAndChanges(
                                        (old, node) ->
                                                ctx.corrupt()
                                                        .guard(
                                                                node.getPath(),
                                                                -1,
                                                                () -> onPolicy(node)))
                                .forDeletes(
                                        node -> {
                                            ctx.corrupt().cleared(node.getPath());
                                            policies.remove(DroverPaths.nodeName(node.getPath()));
                                            requestPass.run();
                                        })
                                .forInitialized(initialized)
                                .build(),
                        ctx.executor());
        typeCache.start();
    }

    void close() {
        typeCache.close();
    }

    private void onPolicy(ChildData node) {
        if (node.getPath().equals(ctx.paths().types())) {
            return;
        }
        policies.put(
                DroverPaths.nodeName(node.getPath()),
                Znodes.typePolicy(node.getPath(), node.getData()));
        ctx.corrupt().cleared(node.getPath());
        requestPass.run();
    }

    /** Reads the breaker states a previous leader left (blocking; at the start of a term). */
    void restore() throws Exception {
        for (String type : ctx.client().getChildren().forPath(ctx.paths().breakers())) {
            breakerNodes.add(type);
            String path = ctx.paths().breaker(type);
            byte[] data = ctx.client().getData().forPath(path);
            ctx.corrupt().guard(path, -1, () -> breakers.restore(type, Znodes.breaker(path, data)));
        }
    }

    /** New assignments a type may get now: its cluster-wide limit, then its breaker. */
    int allowance(String type, long now) {
        TypePolicy policy = policies.get(type);
        int byLimit =
                policy == null || policy.maxConcurrent() == 0
                        ? Integer.MAX_VALUE
                        : Math.max(0, policy.maxConcurrent() - ctx.view().outstanding(type));
        return byLimit == 0 ? 0 : Math.min(byLimit, breakers.allowance(type, now));
    }

    void dispatched(String type, String taskId) {
        breakers.dispatched(type, taskId);
    }

    void assignFailed(String type, String taskId) {
        breakers.probeEnded(type, taskId);
    }

    /** The earliest time an OPEN breaker may let a probe through, or -1. */
    long nextWakeMs() {
        long next = -1;
        for (String type : policies.keySet()) {
            long at = breakers.openUntil(type);
            if (at > 0 && (next < 0 || at < next)) {
                next = at;
            }
        }
        return next;
    }

    /**
     * An assignment ended: read how (one read per ended assignment), for the tally of ended tasks
     * by state and, for breaker-guarded types, the breaker: SUCCEEDED counts as a success, FAILED
     * or a retry as a failure.
     */
    void assignmentEnded(String taskId, ClusterView.Held attempt) {
        boolean guarded = attempt.type() != null && breakerPolicy(attempt.type()) != null;
        ctx.store()
                .status(taskId)
                .whenCompleteAsync(
                        (status, e) -> {
                            if (!active.getAsBoolean()) {
                                return;
                            }
                            TaskStatus s =
                                    e != null ? null : status.map(Versioned::value).orElse(null);
                            if (s != null) {
                                ctx.ended().observed(taskId, s.state());
                            }
                            if (!guarded) {
                                return;
                            }
                            boolean failed =
                                    s != null
                                            && (s.state() == TaskState.FAILED
                                                    || (s.state() == TaskState.PENDING
                                                            && s.attempt() > attempt.attempt()));
                            if (s != null && (s.state() == TaskState.SUCCEEDED || failed)) {
                                if (breakers.outcome(
                                        attempt.type(),
                                        taskId,
                                        !failed,
                                        System.currentTimeMillis())) {
                                    requestPass.run();
                                }
                            } else {
                                breakers.probeEnded(
                                        attempt.type(),
                                        taskId); // handed back, revoked, cancelled or unreadable
                                requestPass.run();
                            }
                        },
                        ctx.executor());
    }

    private CircuitBreakerPolicy breakerPolicy(String type) {
        TypePolicy p = policies.get(type);
        return p == null ? null : p.breaker();
    }

    private void persist(String type, BreakerState state) {
        LOG.info("circuit breaker of type {} is now {}", type, state.state());
        if (unwritten.put(type, state) == null) {
            write(type);
        } // else a write is in flight; it writes the newest state when it returns
    }

    /**
     * Writes the newest unwritten state of a type's breaker until one write of it succeeds: a write
     * that fails is retried (at once when it only guessed wrong whether the node exists, after a
     * second otherwise), so a transition is never lost to one failed write. Leader thread only.
     */
    private void write(String type) {
        BreakerState state = unwritten.get(type);
        String path = ctx.paths().breaker(type);
        boolean exists = breakerNodes.contains(type);
        CuratorOp op;
        try {
            byte[] data = DroverJson.encode(state);
            op =
                    exists
                            ? ctx.op().setData().forPath(path, data)
                            : ctx.op().create().forPath(path, data);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the breaker write of " + type, e);
        }
        ctx.writer()
                .submit(List.of(op))
                .whenCompleteAsync(
                        (r, e) -> {
                            if (e != null && ctx.writer().lost()) {
                                return;
                            }
                            Throwable cause = e == null ? null : ZooKeeperCalls.unwrap(e);
                            boolean guessedWrong =
                                    exists
                                            ? cause instanceof KeeperException.NoNodeException
                                            : cause instanceof KeeperException.NodeExistsException;
                            if (cause == null || guessedWrong) {
                                if (cause == null) {
                                    breakerNodes.add(type);
                                    unwritten.remove(type, state);
                                } else {
                                    toggle(type, exists);
                                }
                                if (unwritten.containsKey(type)) {
                                    write(type); // a newer state, or the other op
                                }
                                return;
                            }
                            LOG.warn(
                                    "cannot record the breaker state of {} ({}); retrying in a second",
                                    type,
                                    cause.toString());
                            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS, ctx.executor())
                                    .execute(
                                            () -> {
                                                if (!ctx.writer().lost()
                                                        && unwritten.containsKey(type)) {
                                                    write(type);
                                                }
                                            });
                        },
                        ctx.executor());
    }

    /** The node is there after all (a create failed), or not (a setData failed). */
    private void toggle(String type, boolean believedToExist) {
        if (believedToExist) {
            breakerNodes.remove(type);
        } else {
            breakerNodes.add(type);
        }
    }
}
