package io.drover.cli;

import io.drover.client.DroverClient;
import io.drover.model.TaskSpec;
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
