package io.drover.worker.internal;

import io.drover.worker.Item;
import io.drover.worker.ItemHandler;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Calls the item handler on the calling (item) thread, interrupting it after the item timeout. The
 * interrupt can only land while the handler runs (checked under a lock), never on whatever the
 * thread does next, such as the commit that follows.
 */
final class ItemHandlerCall {
    private final ItemHandler handler;
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final BooleanSupplier closing;

    ItemHandlerCall(
            ItemHandler handler,
            ScheduledExecutorService timer,
            Duration timeout,
            BooleanSupplier closing) {
        this.handler = handler;
        this.timer = timer;
        this.timeout = timeout;
        this.closing = closing;
    }

    /**
     * @throws InterruptedException when the call timed out (or was interrupted by closing)
     */
    void call(Item item, boolean load) throws Exception {
        Thread self = Thread.currentThread();
        Object lock = new Object();
        boolean[] inCall = {true};
        ScheduledFuture<?> interrupt =
                timer.schedule(
                        () -> {
                            synchronized (lock) {
                                if (inCall[0]) {
                                    self.interrupt();
                                }
                            }
                        },
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
        boolean interrupted;
        try {
            if (load) {
                handler.load(item);
            } else {
                handler.drop(item);
            }
        } finally {
            interrupt.cancel(false);
            synchronized (lock) {
                inCall[0] = false;
            }
            interrupted =
                    Thread.interrupted(); // a late timeout must not hit the commit that follows
        }
        if (interrupted && !closing.getAsBoolean()) {
            throw new InterruptedException("timed out");
        }
    }
}
