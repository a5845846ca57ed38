package io.drover.cli;

import io.drover.client.DroverClient;
import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import io.drover.store.StoreOptions;
import io.drover.store.SubmitResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

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

    /**
     * The largest {@code getChildren} reply of each bucketed folder, measured by listing every
     * bucket: names in the fullest bucket and the reply's bytes on the wire (a 16-byte reply
     * header, the frame's and the vector's lengths, and each name with its length). Blocking.
     */
    public static Map<String, Object> listings(CuratorFramework zk, DroverPaths paths)
            throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("layoutVersion", paths.layoutVersion());
        out.put("buckets", paths.buckets(paths.tasks()).size());
        for (String folder : List.of(paths.pending(), paths.statuses(), paths.tasks())) {
            int names = 0;
            long bytes = 0;
            for (String bucket : paths.buckets(folder)) {
                List<String> children = zk.getChildren().forPath(bucket);
                long reply = 16 + 4 + 4;
                for (String c : children) {
                    reply += 4 + c.getBytes(StandardCharsets.UTF_8).length;
                }
                if (reply > bytes) {
                    bytes = reply;
                    names = children.size();
                }
            }
            out.put(
                    DroverPaths.nodeName(folder),
                    Map.of("largestReplyNames", names, "largestReplyBytes", bytes));
        }
        return out;
    }
}
