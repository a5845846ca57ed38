package io.drover.server.internal;

import io.drover.model.Broadcast;
import io.drover.model.BroadcastGathering;
import io.drover.model.BroadcastOutcome;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.server.api.BroadcastView;
import io.drover.store.TaskStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The broadcast side of a task as {@code GET /v1/tasks/{id}}, {@code drover task} and the console
 * show it. An ended broadcast's responses come from its result; a gathering one's are read live:
 * its gathering node and each response's status, pipelined (one read per worker it reached, on an
 * operator's request only). Blocking; any thread.
 */
public final class BroadcastViews {
    private BroadcastViews() {}

    /** The view for {@code spec} in {@code status}, or null for a task that is neither side. */
    public static BroadcastView of(TaskStore store, TaskSpec spec, TaskStatus status)
            throws Exception {
        Broadcast b = spec.broadcast();
        if (b == null) {
            return spec.parentId() != null || spec.targetWorker() != null
                    ? BroadcastView.response(spec.parentId(), spec.targetWorker())
                    : null;
        }
        String success = b.success().name();
        Optional<BroadcastOutcome> ended = BroadcastOutcome.of(status);
        if (status.state().isTerminal() && ended.isPresent()) {
            BroadcastOutcome o = ended.get();
            return new BroadcastView(
                    success,
                    b.gatherMs(),
                    null,
                    o.workers(),
                    o.succeeded(),
                    o.needed(),
                    o.responses(),
                    null,
                    null);
        }
        if (status.state() != TaskState.WAITING) {
            return new BroadcastView(
                    success, b.gatherMs(), null, null, null, null, null, null, null);
        }
        String path = store.paths().broadcast(spec.id());
        Optional<Versioned<byte[]>> raw = await(store.read(path));
        if (raw.isEmpty()) {
            return new BroadcastView(
                    success, b.gatherMs(), null, null, null, null, null, null, null);
        }
        BroadcastGathering g = Znodes.broadcast(path, raw.get().value());
        List<CompletableFuture<Optional<Versioned<TaskStatus>>>> reads = new ArrayList<>();
        g.responses().forEach(m -> reads.add(store.status(m.taskId())));
        List<BroadcastOutcome.Response> responses = new ArrayList<>();
        int succeeded = 0;
        long resultBytes = 0;
        for (int i = 0; i < reads.size(); i++) {
            BroadcastGathering.Member m = g.responses().get(i);
            Optional<TaskStatus> s = await(reads.get(i)).map(Versioned::value);
            TaskState state = s.map(TaskStatus::state).orElse(null);
            succeeded += state == TaskState.SUCCEEDED ? 1 : 0;
            com.fasterxml.jackson.databind.JsonNode result = s.map(TaskStatus::result).orElse(null);
            int size = result == null ? 0 : io.drover.model.DroverJson.encode(result).length;
            boolean omitted = resultBytes + size > BroadcastOutcome.MAX_RESULT_BYTES;
            resultBytes += omitted ? 0 : size;
            responses.add(
                    new BroadcastOutcome.Response(
                            m.workerId(),
                            m.taskId(),
                            state,
                            s.map(TaskStatus::attempt).orElse(0),
                            omitted ? null : result,
                            s.map(TaskStatus::error)
                                    .orElse(s.isPresent() ? null : "not created yet"),
                            omitted));
        }
        int n = g.responses().size();
        return new BroadcastView(
                success,
                b.gatherMs(),
                g.deadlineMs(),
                n,
                succeeded,
                g.success().needed(n),
                responses,
                null,
                null);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return ZooKeeperCalls.await(f);
    }
}
