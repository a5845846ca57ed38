package io.drover.worker.internal;

import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.runtime.MultiBatcher;
import io.drover.store.TaskStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's claims: the claim multi (and whether a claim is ours after one failed ambiguously),
 * and giving back an attempt this worker holds but will not finish (handed back when it can be,
 * same attempt, fenced by our status version; otherwise our claim is dropped if it is still this
 * session's, so that the leader's reconciliation recovers the task instead of it staying RUNNING
 * for ever). Callbacks come back on the worker's event thread.
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

    Claims(
            CuratorFramework client,
            DroverPaths paths,
            AttemptOps ops,
            MultiBatcher batcher,
            TaskStore store,
            Executor events,
            String workerId,
            AttemptFlow.Host host) {
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
     * Sends the claim multi. Completes later, on the event thread, with {@link
     * AttemptEvent.ClaimSucceeded} (the attempt then knows its RUNNING status, version and fencing
     * token) or {@link AttemptEvent.ClaimRejected}. A failed claim is usually a revoked assignment.
     * But a multi retried after a connection loss can fail on its own first success, so look: if
     * the claim belongs to our current session and the status says we run this attempt, we do.
     */
    CompletableFuture<AttemptEvent> claim(Attempt a) {
        TaskStatus running = a.assignment.status().running(System.currentTimeMillis());
        List<CuratorOp> claimOps;
        try {
            claimOps = ops.claim(a, running);
        } catch (Exception e) {
            // Later, not now: the caller may be walking the slots it would free.
            return CompletableFuture.supplyAsync(
                    () -> new AttemptEvent.ClaimRejected("cannot build claim: " + e), events);
        }
        return batcher.submit(claimOps)
                .handleAsync((results, error) -> afterClaim(a, running, results, error), events)
                .thenCompose(f -> f);
    }

    /** Event thread. */
    private CompletableFuture<AttemptEvent> afterClaim(
            Attempt a,
            TaskStatus running,
            List<CuratorTransactionResult> results,
            Throwable error) {
        if (error == null) {
            Stat stat = results.get(AttemptOps.CLAIM_STATUS_RESULT).getResultStat();
            return CompletableFuture.completedFuture(claimed(a, running, stat));
        }
        Throwable cause = ZooKeeperCalls.unwrap(error);
        if (cause instanceof KeeperException.NoNodeException) {
            return CompletableFuture.completedFuture(rejected(cause)); // the assignment is gone
        }
        // Not ours (or unknown, and then the leader's assignment timeout or reconciliation
        // recovers it).
        return ownClaim(a)
                .handleAsync(
                        (ours, e) ->
                                ours != null
                                        ? claimed(a, ours.getKey(), ours.getValue())
                                        : rejected(e != null ? ZooKeeperCalls.unwrap(e) : cause),
                        events);
    }

    private static AttemptEvent claimed(Attempt a, TaskStatus running, Stat statusStat) {
        a.token = statusStat.getMzxid();
        // the claim's own write could not know its zxid: the writes after it carry it
        a.runningStatus = running.withAttemptToken(a.token);
        a.runningVersion = statusStat.getVersion();
        return new AttemptEvent.ClaimSucceeded();
    }

    private static AttemptEvent rejected(Throwable why) {
        return new AttemptEvent.ClaimRejected("claim rejected: " + why);
    }

    /**
     * A claim multi retried after a connection loss can fail on its own first success. The RUNNING
     * status our claim wrote, with a stat carrying its version and, as its zxid, the claim's (one
     * multi wrote both); or null when the claim is not this session's attempt.
     */
    private CompletableFuture<Map.Entry<TaskStatus, Stat>> ownClaim(Attempt a) {
        return store.status(a.taskId())
                .thenCombine(
                        claimStat(a.taskId()),
                        (status, claim) -> {
                            boolean ours =
                                    claim != null
                                            && claim.getEphemeralOwner() == host.sessionId()
                                            && status.isPresent()
                                            && status.get().value().state() == TaskState.RUNNING
                                            && workerId.equals(status.get().value().workerId())
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
            client.checkExists()
                    .inBackground((c, e) -> f.complete(e.getStat()))
                    .forPath(paths.claim(taskId));
        } catch (Exception e) {
            f.complete(null);
        }
        return f;
    }

    /**
     * Gives back an attempt this worker claimed but will not finish: handed back at the same
     * attempt when the spec is known, else (or if that write fails) our claim is dropped if our
     * session still holds it. Completes with why the hand-back failed, or null.
     */
    CompletableFuture<String> release(Attempt a, Optional<TaskSpec> spec) {
        CompletableFuture<String> done = new CompletableFuture<>();
        try {
            if (spec != null && spec.isPresent() && a.runningStatus != null) {
                a.spec = spec.get();
                batcher.submit(ops.handBack(a))
                        .whenCompleteAsync(
                                (r, e) -> {
                                    if (e == null) {
                                        LOG.info(
                                                "worker {} handed back task {}",
                                                workerId,
                                                a.taskId());
                                        done.complete(null);
                                    } else {
                                        String failure = ZooKeeperCalls.unwrap(e).toString();
                                        dropClaimIfOurs(a)
                                                .whenComplete((x, e2) -> done.complete(failure));
                                    }
                                },
                                events);
            } else {
                dropClaimIfOurs(a).whenComplete((x, e) -> done.complete(null));
            }
        } catch (Exception e) {
            LOG.warn("worker {} cannot release task {}: {}", workerId, a.taskId(), e.toString());
            done.complete(e.toString());
        }
        return done;
    }

    CompletableFuture<Void> dropClaimIfOurs(Attempt a) {
        long session = host.sessionId();
        return claimStat(a.taskId())
                .thenCompose(
                        stat -> {
                            if (stat == null || stat.getEphemeralOwner() != session) {
                                return CompletableFuture.completedFuture(null);
                            }
                            CompletableFuture<Void> f = new CompletableFuture<>();
                            try {
                                client.delete()
                                        .withVersion(stat.getVersion())
                                        .inBackground((c, e) -> f.complete(null))
                                        .forPath(paths.claim(a.taskId()));
                            } catch (Exception e) {
                                f.complete(null);
                            }
                            return f;
                        });
    }
}
