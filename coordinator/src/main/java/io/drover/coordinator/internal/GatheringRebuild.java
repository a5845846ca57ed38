package io.drover.coordinator.internal;

import io.drover.model.BroadcastGathering;
import io.drover.model.CorruptZnodeException;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.Znodes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new leader picks up the broadcasts the last one left gathering, once at the start of its term:
 * it lists {@code broadcasts/}, reads every gathering and its broadcast's status, then every
 * response's status, all pipelined. Responses that ended count at once; responses the last leader
 * did not get to create are created now (before the deadline); a gathering whose broadcast no
 * longer waits is deleted; one that is complete or past its deadline ends on the first pass. A
 * gathering node that does not validate is reported and skipped. Blocking, on the leader's thread
 * before the term is ready.
 */
final class GatheringRebuild {
    private static final Logger LOG = LoggerFactory.getLogger(GatheringRebuild.class);

    /** Creates the responses a gathering lacks, from the broadcast's spec. */
    interface Responder {
        void respond(BroadcastGathering g, TaskSpec parent, List<BroadcastGathering.Member> ms);
    }

    private final LeaderContext ctx;
    private final Gatherings gatherings;
    private final Responder responder;

    GatheringRebuild(LeaderContext ctx, Gatherings gatherings, Responder responder) {
        this.ctx = ctx;
        this.gatherings = gatherings;
        this.responder = responder;
    }

    void run() throws Exception {
        List<String> ids = ctx.client().getChildren().forPath(ctx.paths().broadcasts());
        Map<String, CompletableFuture<Optional<Versioned<byte[]>>>> nodes = new HashMap<>();
        Map<String, CompletableFuture<Optional<Versioned<TaskStatus>>>> parents = new HashMap<>();
        for (String id : ids) {
            nodes.put(id, ctx.store().read(ctx.paths().broadcast(id)));
            parents.put(id, ctx.store().status(id));
        }
        List<Gatherings.Tracked> tracked = new ArrayList<>();
        for (String id : ids) {
            String path = ctx.paths().broadcast(id);
            Optional<Versioned<byte[]>> raw = await(nodes.get(id));
            Optional<Versioned<TaskStatus>> parent;
            try {
                parent = await(parents.get(id));
            } catch (CorruptZnodeException e) {
                ctx.corrupt().report(e, 0); // nothing can end it; the gathering is left as it is
                continue;
            }
            if (raw.isEmpty()) {
                continue; // ended meanwhile
            }
            ctx.corrupt()
                    .guard(
                            path,
                            raw.get().version(),
                            () -> {
                                BroadcastGathering g = Znodes.broadcast(path, raw.get().value());
                                if (parent.isPresent()
                                        && parent.get().value().state() == TaskState.WAITING) {
                                    tracked.add(
                                            gatherings.track(
                                                    g,
                                                    parent.get().value(),
                                                    parent.get().version()));
                                } else {
                                    gatherings.discard(id);
                                }
                            });
        }
        Map<String, CompletableFuture<Optional<Versioned<TaskStatus>>>> responses = new HashMap<>();
        for (Gatherings.Tracked t : tracked) {
            for (BroadcastGathering.Member m : t.gathering.responses()) {
                responses.put(
                        m.taskId(),
                        ctx.store().status(m.taskId()).exceptionally(x -> Optional.empty()));
            }
        }
        long now = System.currentTimeMillis();
        for (Gatherings.Tracked t : tracked) {
            List<BroadcastGathering.Member> missing = new ArrayList<>();
            for (BroadcastGathering.Member m : t.gathering.responses()) {
                Optional<Versioned<TaskStatus>> s = await(responses.get(m.taskId()));
                if (s.isEmpty()) {
                    missing.add(m);
                } else if (s.get().value().state().isTerminal()) {
                    t.ended.add(m.taskId());
                }
            }
            if (!missing.isEmpty() && now < t.gathering.deadlineMs()) {
                resume(t.gathering, missing);
            }
        }
        LOG.info("{} broadcasts gathering their responses", tracked.size());
        tracked.forEach(t -> gatherings.finishIfDue(t, now));
    }

    private void resume(BroadcastGathering g, List<BroadcastGathering.Member> missing) {
        Optional<TaskSpec> spec;
        try {
            spec = await(ctx.store().spec(g.taskId()));
        } catch (Exception e) {
            spec = Optional.empty();
        }
        if (spec.isEmpty()) {
            LOG.warn(
                    "broadcast {}: its spec is unreadable; its missing responses fail", g.taskId());
            return; // they count as failed when the gathering ends at its deadline
        }
        LOG.info(
                "broadcast {}: creating the {} responses the last leader did not",
                g.taskId(),
                missing.size());
        responder.respond(g, spec.get(), missing);
    }

    /** Bounded; the failure itself, not wrapped. */
    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return io.drover.protocol.ZooKeeperCalls.await(f);
    }
}
