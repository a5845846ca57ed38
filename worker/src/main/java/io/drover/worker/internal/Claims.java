package io.drover.worker.internal;

import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.store.TaskStore;
import io.drover.protocol.runtime.MultiBatcher;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's claims outside the normal claim and commit multis: whether a claim is ours after a
 * claim multi failed ambiguously, and giving back an attempt this worker holds but will not finish
 * (handed back when it can be, same attempt, fenced by our status version; otherwise our claim is
 * dropped if it is still this session's, so that the leader's reconciliation recovers the task
 * instead of it staying RUNNING for ever). Callbacks come back on the worker's event thread.
 */
final class Claims {
    private static final Logger LOG = LoggerFactory.getLogger(Claims.class);

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final AttemptOps ops;
    private final MultiBatcher batcher;
    private final Executor events;
    private final TaskStore store;
    private final String workerId;
    private final AttemptFlow.Host host;

    Claims(CuratorFramework client, DroverPaths paths, AttemptOps ops, MultiBatcher batcher, TaskStore store, Executor events,
           String workerId, AttemptFlow.Host host) {
        this.client = client;
        this.paths = paths;
        this.ops = ops;
        this.batcher = batcher;
        this.store = store;
        this.events = events;
        this.workerId = workerId;
        this.host = host;
    }

    /**
     * A claim multi retried after a connection loss can fail on its own first success. The RUNNING
     * status our claim wrote, with a stat carrying its version and, as its zxid, the claim's (one
     * multi wrote both); or null when the claim is not this session's attempt.
     */
    CompletableFuture<Map.Entry<TaskStatus, Stat>> ownClaim(Attempt a) {
        return store.status(a.taskId()).thenCombine(claimStat(a.taskId()), (status, claim) -> {
            boolean ours = claim != null && claim.getEphemeralOwner() == host.sessionId() && status.isPresent()
                    && status.get().value().state() == TaskState.RUNNING && workerId.equals(status.get().value().workerId())
                    && status.get().value().attempt() == a.attempt();
            if (!ours) {
                return null;
            }
            Stat stat = new Stat();
            stat.setVersion(status.get().version());
            stat.setMzxid(claim.getCzxid());
            return Map.entry(status.get().value(), stat);
        });
    }

    /** The claim's stat, or null when there is none (or it cannot be read). */
    private CompletableFuture<Stat> claimStat(String taskId) {
        CompletableFuture<Stat> f = new CompletableFuture<>();
        try {
            client.checkExists().inBackground((c, e) -> f.complete(e.getStat())).forPath(paths.claim(taskId));
        } catch (Exception e) {
            f.complete(null);
        }
        return f;
    }

    CompletableFuture<Void> release(Attempt a, Optional<TaskSpec> spec) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            if (spec != null && spec.isPresent() && a.runningStatus != null) {
                a.spec = spec.get();
                batcher.submit(ops.handBack(a)).whenCompleteAsync((r, e) -> {
                    if (e == null) {
                        LOG.info("worker {} handed back task {} it could not finish", workerId, a.taskId());
                        done.complete(null);
                    } else {
                        dropClaimIfOurs(a).whenComplete((x, e2) -> done.complete(null));
                    }
                }, events);
            } else {
                dropClaimIfOurs(a).whenComplete((x, e) -> done.complete(null));
            }
        } catch (Exception e) {
            LOG.warn("worker {} cannot release task {}: {}", workerId, a.taskId(), e.toString());
            done.complete(null);
        }
        return done;
    }

    CompletableFuture<Void> dropClaimIfOurs(Attempt a) {
        long session = host.sessionId();
        return claimStat(a.taskId()).thenCompose(stat -> {
            if (stat == null || stat.getEphemeralOwner() != session) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            try {
                client.delete().withVersion(stat.getVersion()).inBackground((c, e) -> f.complete(null)).forPath(paths.claim(a.taskId()));
            } catch (Exception e) {
                f.complete(null);
            }
            return f;
        });
    }
}
