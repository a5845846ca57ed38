package io.drover.coordinator.internal;

import io.drover.model.BreakerState;
import io.drover.model.DroverJson;
import io.drover.protocol.ZooKeeperCalls;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each circuit breaker transition to {@code breakers/<type>} (fenced), so that the state is
 * visible and survives failover. Leader thread only.
 */
final class BreakerWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TypeRules.class);

    private final LeaderContext ctx;
    private final Set<String> breakerNodes = new HashSet<>();

    /**
     * Breaker states not yet written, newest per type; a type is here while its write is in flight.
     */
    private final Map<String, BreakerState> unwritten = new HashMap<>();

    BreakerWriter(LeaderContext ctx) {
        this.ctx = ctx;
    }

    /** The type's node exists (read back at the start of a term). */
    void exists(String type) {
        breakerNodes.add(type);
    }

    void persist(String type, BreakerState state) {
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
