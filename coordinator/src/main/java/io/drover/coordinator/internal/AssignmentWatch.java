package io.drover.coordinator.internal;

import io.drover.model.Assignment;
import io.drover.model.Versioned;
import io.drover.protocol.ZnodeKind;
import io.drover.protocol.Znodes;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.protocol.runtime.BatchedReader;
import io.drover.store.StoreOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * The leader's view of {@code assignments/}: rebuilt once per term (every assignment listed and
 * read, to know each one's type and attempt for type limits and breakers), then kept by one
 * recursive watch that reports creations and deletions (no reads: two events per task at most).
 * Leader thread only, apart from {@link #close()}.
 */
final class AssignmentWatch implements AutoCloseable {
    private final LeaderContext ctx;
    private final BiConsumer<String, ClusterView.Held> ended;
    private final PersistentWatcher watcher;

    /**
     * @param ended told of every assignment that ended: the task id and what the leader knew of it
     */
    AssignmentWatch(LeaderContext ctx, BiConsumer<String, ClusterView.Held> ended) {
        this.ctx = ctx;
        this.ended = ended;
        this.watcher = new PersistentWatcher(ctx.client(), ctx.paths().assignments(), true);
    }

    /** Registers the watch first, so that a later {@link #rebuild()} misses nothing. */
    void start() {
        watcher.getListenable()
                .addListener(
                        event ->
                                ctx.executor()
                                        .execute(
                                                () ->
                                                        ctx.corrupt()
                                                                .guard(
                                                                        String.valueOf(
                                                                                event.getPath()),
                                                                        -1,
                                                                        () -> onEvent(event))));
        watcher.start();
    }

    /**
     * Lists every assignment and reads it (blocking; at the start of a term). Replaying set-valued
     * events over a newer snapshot is harmless. A node whose name is not an id is no assignment and
     * is skipped; one whose data does not validate still holds its worker's slot until recovery,
     * which reads the task's status rather than the assignment, revokes it.
     */
    void rebuild() throws Exception {
        BatchedReader reader = new BatchedReader(ctx.client(), 100);
        Map<String, CompletableFuture<Optional<Versioned<byte[]>>>> reads = new HashMap<>();
        List<String> workerIds = new ArrayList<>();
        for (String workerId : ctx.client().getChildren().forPath(ctx.paths().assignments())) {
            if (validName(ZnodeKind.FOLDER, ctx.paths().assignments(workerId))) {
                workerIds.add(workerId);
            }
        }
        // one round trip for all the folders, not one per worker: a thousand workers took the new
        // leader half a second before its first dispatch
        List<List<String>> listed =
                ZooKeeperCalls.children(
                        ctx.client(), workerIds.stream().map(ctx.paths()::assignments).toList());
        for (int i = 0; i < workerIds.size(); i++) {
            String workerId = workerIds.get(i);
            List<String> tasks = new ArrayList<>();
            for (String t : listed.get(i)) {
                String path = ctx.paths().assignment(workerId, t);
                if (validName(ZnodeKind.ASSIGNMENT, path)) {
                    tasks.add(t);
                    reads.put(path, reader.read(path));
                }
            }
            ctx.view().replaceAssignments(workerId, tasks);
        }
        for (var e : reads.entrySet()) {
            Optional<Versioned<byte[]>> data =
                    e.getValue()
                            .get(StoreOptions.ZK_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            data.ifPresent(
                    d ->
                            ctx.corrupt()
                                    .guard(
                                            e.getKey(),
                                            d.version(),
                                            () -> {
                                                Assignment a =
                                                        Znodes.assignment(e.getKey(), d.value());
                                                ctx.view()
                                                        .addAssignment(
                                                                a.status().workerId(),
                                                                a.taskId(),
                                                                a.status());
                                            }));
        }
    }

    private boolean validName(ZnodeKind kind, String path) {
        return ctx.corrupt().guard(path, 0, () -> Znodes.idName(kind, path));
    }

    private void onEvent(WatchedEvent event) {
        String root = ctx.paths().assignments();
        String path = event.getPath();
        if (path == null || !path.startsWith(root + "/")) {
            return;
        }
        String[] parts = path.substring(root.length() + 1).split("/");
        if (parts.length != 2) {
            return;
        }
        if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
            ctx.corrupt().cleared(path);
        }
        Znodes.idName(ZnodeKind.FOLDER, ctx.paths().assignments(parts[0]));
        Znodes.idName(ZnodeKind.ASSIGNMENT, path);
        if (event.getType() == Watcher.Event.EventType.NodeCreated) {
            ctx.view().addAssignment(parts[0], parts[1]);
        } else if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
            ClusterView.Held gone = ctx.view().removeAssignment(parts[0], parts[1]);
            if (gone != null) {
                ended.accept(parts[1], gone);
            }
        }
    }

    @Override
    public void close() {
        watcher.close();
    }
}
