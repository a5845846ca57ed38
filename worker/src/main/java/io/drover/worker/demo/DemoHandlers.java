package io.drover.worker.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in demo handlers of the quickstart and the bench:
 *
 * <ul>
 *   <li>{@code noop}: does nothing, returns null;
 *   <li>{@code sleep}: sleeps {@code {"ms": N}} milliseconds (interruptible);
 *   <li>{@code echo}: returns its payload;
 *   <li>{@code fail}: fails its first {@code {"times": N}} attempts, or every attempt without a
 *       payload.
 * </ul>
 */
public final class DemoHandlers {
    /**
     * The longest a {@code sleep} task may ask for, so a typo cannot park a worker slot for days.
     */
    public static final long MAX_SLEEP_MS = 3_600_000;

    private DemoHandlers() {}

    public static Map<String, TaskHandler> all() {
        Map<String, TaskHandler> m = new LinkedHashMap<>();
        m.put("noop", ctx -> null);
        m.put("sleep", DemoHandlers::sleep);
        m.put("echo", TaskContext::payload);
        m.put("fail", DemoHandlers::fail);
        return m;
    }

    private static Object sleep(TaskContext ctx) throws InterruptedException {
        JsonNode ms = ctx.payload().get("ms");
        if (ms == null || !ms.canConvertToLong() || ms.asLong() < 0 || ms.asLong() > MAX_SLEEP_MS) {
            throw new IllegalArgumentException(
                    "sleep needs a payload {\"ms\": N} with 0 <= N <= " + MAX_SLEEP_MS);
        }
        Thread.sleep(ms.asLong());
        return null;
    }

    private static Object fail(TaskContext ctx) {
        JsonNode times = ctx.payload().get("times");
        if (times == null || !times.canConvertToInt() || ctx.attempt() <= times.asInt()) {
            throw new IllegalStateException(
                    "fail handler failed attempt " + ctx.attempt() + " as asked");
        }
        return Map.of("succeededOnAttempt", ctx.attempt());
    }
}
