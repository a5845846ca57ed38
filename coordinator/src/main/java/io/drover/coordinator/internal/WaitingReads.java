package io.drover.coordinator.internal;

import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.Znodes;
import io.drover.protocol.runtime.BatchedReader;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reads behind {@link Dependencies}, batched into read-only multis ({@link BatchedReader}) and
 * decoded through the codecs: a waiting task's spec and status when it appears, a dependency's
 * status when nobody already waits for it. Futures complete on the leader's thread and fail only on
 * connection problems; a corrupt node is reported to the term's guard and reads as nothing.
 */
final class WaitingReads {
    private static final Logger LOG = LoggerFactory.getLogger(WaitingReads.class);

    private final LeaderContext ctx;
    private final BatchedReader reader;

    WaitingReads(LeaderContext ctx) {
        this.ctx = ctx;
        this.reader = new BatchedReader(ctx.client(), 100);
    }

    /** The waiting task, or empty when it is gone, no longer WAITING, or corrupt. */
    CompletableFuture<Optional<WaitingTask>> task(String id) {
        var spec = reader.read(ctx.paths().task(id));
        var status = reader.read(ctx.paths().status(id));
        return spec.thenCombineAsync(status, (sp, st) -> decode(id, sp, st), ctx.executor());
    }

    private Optional<WaitingTask> decode(
            String id, Optional<Versioned<byte[]>> spec, Optional<Versioned<byte[]>> status) {
        if (spec.isEmpty() || status.isEmpty()) {
            return Optional.empty(); // moved on meanwhile; its entry's removal tells
        }
        WaitingTask[] out = new WaitingTask[1];
        String path = ctx.paths().status(id);
        ctx.corrupt()
                .guard(
                        path,
                        status.get().version(),
                        () -> {
                            TaskStatus s = Znodes.status(path, status.get().value());
                            if (s.state() != TaskState.WAITING) {
                                LOG.warn("task {} has a waiting entry but is {}", id, s.state());
                                return;
                            }
                            byte[] data = spec.get().value();
                            TaskSpec sp = Znodes.spec(ctx.paths().task(id), data);
                            out[0] = WaitingTask.of(sp, data.length, s, status.get().version());
                        });
        return Optional.ofNullable(out[0]);
    }

    /**
     * A dependency's state: empty when it does not exist, null when its status does not decode (it
     * is reported; the dependency stays open).
     */
    CompletableFuture<Optional<TaskState>> state(String id) {
        String path = ctx.paths().status(id);
        return reader.read(path)
                .thenApplyAsync(
                        read -> {
                            if (read.isEmpty()) {
                                return Optional.<TaskState>empty();
                            }
                            TaskState[] out = new TaskState[1];
                            boolean ok =
                                    ctx.corrupt()
                                            .guard(
                                                    path,
                                                    read.get().version(),
                                                    () ->
                                                            out[0] =
                                                                    Znodes.status(
                                                                                    path,
                                                                                    read.get()
                                                                                            .value())
                                                                            .state());
                            return ok ? Optional.of(out[0]) : null;
                        },
                        ctx.executor());
    }
}
