package io.drover.it.console;

import io.drover.worker.TaskContext;
import io.drover.worker.TaskHandler;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A handler that reports some progress and then holds its task until it is cancelled or the test
 * releases it (60 s at most), so that a page can be looked at while the task runs; with {@code
 * "failFirst": true} in the payload its first attempt fails.
 */
final class Hold implements TaskHandler {
    private final CountDownLatch release = new CountDownLatch(1);

    void release() {
        release.countDown();
    }

    @Override
    public Object handle(TaskContext ctx) throws Exception {
        if (ctx.attempt() == 1 && ctx.payload().path("failFirst").asBoolean()) {
            throw new IllegalStateException(
                    "image store timed out after 30 s (asked to fail once)");
        }
        ctx.reportProgress(40, "resized 2 of 5 images");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ctx.isCancelled() && System.nanoTime() < deadline) {
            if (release.await(100, TimeUnit.MILLISECONDS)) {
                break;
            }
        }
        return Map.of("images", 5);
    }
}
