package io.drover.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.KeeperException;

/**
 * A known number of asynchronous ZooKeeper calls with at most {@code inFlight} outstanding: {@link
 * #acquire()} before each call, {@link #done} from its callback, {@link #await} at the end, which
 * fails with the first unexpected result code. For the bench's raw ceilings and its clean-up.
 */
final class AsyncWindow {
    private final Semaphore window;
    private final CountDownLatch done;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<KeeperException.Code> firstFailure = new AtomicReference<>();

    AsyncWindow(int calls, int inFlight) {
        this.window = new Semaphore(Math.max(1, inFlight));
        this.done = new CountDownLatch(calls);
    }

    /** Blocks until a call may go out. */
    void acquire() throws InterruptedException {
        window.acquire();
    }

    /** A call returned {@code rc}; {@code alsoFine} is a code that counts as success (or -1). */
    void done(int rc, int alsoFine) {
        if (rc != KeeperException.Code.OK.intValue() && rc != alsoFine) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, KeeperException.Code.get(rc));
        }
        window.release();
        done.countDown();
    }

    /** Waits for every call, at most 5 minutes; {@code what} names them in the error. */
    void await(String what) throws Exception {
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("could not " + what + " within 5 minutes");
        }
        if (firstFailure.get() != null) {
            throw new IllegalStateException(
                    "could not "
                            + what
                            + ": "
                            + failures.get()
                            + " calls failed, the first with ZooKeeper's "
                            + firstFailure.get());
        }
    }
}
