package io.drover.coordinator.internal;

import io.drover.model.CircuitBreakerPolicy;
import io.drover.model.DroverPaths;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.TypePolicy;
import io.drover.model.Versioned;
import io.drover.protocol.Znodes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;

/**
 * The per-type rules the leader enforces (policies from {@code types/}): cluster-wide concurrency
 * limits, rate limits ({@link RateLimits}) and circuit breakers, with breaker transitions written
 * to {@code breakers/} ({@link BreakerWriter}) so they are visible and survive failover, and what a
 * type's tasks do while its breaker is open (wait, fail fast, or run as a fallback type). Leader
 * thread only.
 */
final class TypeRules {
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

    private final BreakerWriter breakerWriter;
    private final Breakers breakers;
    private final RateLimits rates = new RateLimits();
    private final CuratorCache typeCache;

    TypeRules(LeaderContext ctx, BooleanSupplier active, Runnable requestPass) {
        this.ctx = ctx;
        this.active = active;
        this.requestPass = requestPass;
        this.breakerWriter = new BreakerWriter(ctx);
        this.breakers = new Breakers(policies::get, breakerWriter::persist);
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
                                            String type = DroverPaths.nodeName(node.getPath());
                                            policies.remove(type);
                                            rates.limit(type, null, System.currentTimeMillis());
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
        String type = DroverPaths.nodeName(node.getPath());
        TypePolicy policy = Znodes.typePolicy(node.getPath(), node.getData());
        policies.put(type, policy);
        rates.limit(type, policy.rateLimit(), System.currentTimeMillis());
        ctx.corrupt().cleared(node.getPath());
        requestPass.run();
    }

    /** Reads the breaker states a previous leader left (blocking; at the start of a term). */
    void restore() throws Exception {
        for (String type : ctx.client().getChildren().forPath(ctx.paths().breakers())) {
            breakerWriter.exists(type);
            String path = ctx.paths().breaker(type);
            byte[] data = ctx.client().getData().forPath(path);
            ctx.corrupt().guard(path, -1, () -> breakers.restore(type, Znodes.breaker(path, data)));
        }
    }

    /**
     * New assignments a type may get now: its cluster-wide limit, its breaker (none while OPEN,
     * unless it falls back), its rate limit.
     */
    int allowance(String type, long now) {
        TypePolicy policy = policies.get(type);
        int byLimit =
                policy == null || policy.maxConcurrent() == 0
                        ? Integer.MAX_VALUE
                        : Math.max(0, policy.maxConcurrent() - ctx.view().outstanding(type));
        if (byLimit == 0) {
            return 0;
        }
        Breakers.Open open = breakers.whenOpen(type, now);
        int byBreaker =
                open != null && open.runAs() != null
                        ? Integer.MAX_VALUE
                        : breakers.allowance(type, now);
        return Math.min(Math.min(byLimit, byBreaker), rates.allowance(type, now));
    }

    /** What a dispatch pass at {@code now} may do: {@link #allowance} and {@link #runAs}. */
    Dispatcher.Gate gate(long now) {
        return new Dispatcher.Gate() {
            @Override
            public int allowance(String type) {
                return TypeRules.this.allowance(type, now);
            }

            @Override
            public String runAs(String type) {
                return TypeRules.this.runAs(type, now);
            }
        };
    }

    /** The type whose workers and handler run the type's tasks now: a fallback, or itself. */
    String runAs(String type, long now) {
        Breakers.Open open = breakers.whenOpen(type, now);
        return open == null || open.runAs() == null ? type : open.runAs();
    }

    /** The types whose breaker is OPEN and fails fast now, with the failure rate that opened it. */
    Map<String, Double> failingFast(long now) {
        Map<String, Double> out = new HashMap<>();
        policies.forEach(
                (type, p) -> {
                    Breakers.Open open =
                            p.whenOpen() == TypePolicy.WhenOpen.FAIL_FAST
                                    ? breakers.whenOpen(type, now)
                                    : null;
                    if (open != null && open.action() == TypePolicy.WhenOpen.FAIL_FAST) {
                        out.put(type, open.failureRate());
                    }
                });
        return out;
    }

    void dispatched(String type, String taskId) {
        breakers.dispatched(type, taskId);
        rates.started(type);
    }

    void assignFailed(String type, String taskId) {
        breakers.probeEnded(type, taskId);
        rates.notStarted(type);
    }

    /** A dispatch pass ended: which types the rate held back ({@link #rateLimited()}). */
    void passEnded(Map<String, Long> pendingByType, long now) {
        rates.passEnded(pendingByType, now);
    }

    /** The types the rate held back at the last pass, for {@code leader/live}. */
    List<String> rateLimited() {
        return rates.held();
    }

    /**
     * The earliest time an OPEN breaker may let a probe through, or a type held back by its rate
     * earns a token; -1 for none.
     */
    long nextWakeMs(long now) {
        long next = rates.nextWakeMs(now);
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
        // a fallback's outcome says nothing of the type's own handler, nor of the fallback's tasks
        boolean guarded =
                attempt.type() != null
                        && attempt.runAs() == null
                        && breakerPolicy(attempt.type()) != null;
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
}
