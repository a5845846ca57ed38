package io.drover.cli;

import io.drover.client.DroverClient;
import io.drover.model.TaskSpec;
import io.drover.store.StoreOptions;
import io.drover.store.SubmitResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The benches' deep queue: tasks of a type no worker handles, so that they stay pending while the
 * bench measures past them.
 */
public final class Backlog {
    /** The type of the backlog's tasks. */
    public static final String TYPE = "bench-backlog";

    private static final int WINDOW = 10_000;

    private Backlog() {}

    /**
     * Store options for a bench's own cluster that admit {@code liveTasks} live tasks (the backlog
     * and the runs): the caps on live tasks and on their spec bytes are sized for a shared cluster,
     * not for a bench that fills one on purpose. The spec-byte cap allows 1 KiB a task, five times
     * a bench task's spec.
     */
    public static StoreOptions storeOptions(long liveTasks) {
        StoreOptions d = StoreOptions.defaults();
        return d.withMaxLiveTasks(Math.max(d.maxLiveTasks(), liveTasks))
                .withMaxLiveSpecBytes(Math.max(d.maxLiveSpecBytes(), liveTasks * 1024));
    }

    /**
     * Submits {@code count} tasks ({@code b-0}, {@code b-1}, …), {@value #WINDOW} at a time, and
     * waits until all are accepted. Blocking; the client's cap on live tasks must allow them.
     */
    public static void submit(DroverClient client, int count) throws Exception {
        for (int from = 0; from < count; from += WINDOW) {
            List<CompletableFuture<SubmitResult>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + WINDOW); i++) {
                batch.add(client.submit(TaskSpec.builder(TYPE).id("b-" + i).build()));
            }
            CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new))
                    .get(10, TimeUnit.MINUTES);
        }
    }
}
