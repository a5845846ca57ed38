package io.drover.worker.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.worker.Item;
import io.drover.worker.ItemHandler;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in demo item handler of the quickstart, the local cluster and the bench. It keeps
 * loaded items in memory. Spec fields (all optional):
 *
 * <ul>
 *   <li>{@code loadMs}: how long a load takes (interruptible, at most {@link #MAX_LOAD_MS});
 *   <li>{@code failOn}: a worker id on which every load fails, to see the leader try another
 *       worker.
 * </ul>
 */
public final class DemoItems implements ItemHandler {
    public static final long MAX_LOAD_MS = 600_000;

    private final Map<String, Long> loaded = new ConcurrentHashMap<>();

    @Override
    public void load(Item item) throws InterruptedException {
        JsonNode failOn = item.spec().get("failOn");
        if (failOn != null && failOn.asText().equals(item.workerId())) {
            throw new IllegalStateException(
                    "demo item " + item.id() + " is set to fail on " + item.workerId());
        }
        JsonNode ms = item.spec().get("loadMs");
        if (ms != null) {
            if (!ms.canConvertToLong() || ms.asLong() < 0 || ms.asLong() > MAX_LOAD_MS) {
                throw new IllegalArgumentException(
                        "loadMs must be between 0 and " + MAX_LOAD_MS + ", was " + ms);
            }
            Thread.sleep(ms.asLong());
        }
        loaded.put(item.id(), System.currentTimeMillis());
    }

    @Override
    public void drop(Item item) {
        loaded.remove(item.id());
    }

    /** What this handler holds now. */
    public Set<String> loaded() {
        return Set.copyOf(loaded.keySet());
    }
}
