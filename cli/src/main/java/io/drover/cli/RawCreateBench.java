package io.drover.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;

/**
 * The ceiling the bench compares Drover with: plain asynchronous 200-byte creates, pipelined with a
 * bounded window, on the same ZooKeeper in the same run.
 */
final class RawCreateBench {
    private static final int WINDOW = 2_000;

    private RawCreateBench() {}

    /**
     * Creates {@code count} znodes under {@code parent} and returns creates per second; deletes
     * them afterwards.
     */
    static double createsPerSecond(CuratorFramework client, String parent, int count)
            throws Exception {
        client.create().creatingParentsIfNeeded().forPath(parent);
        byte[] data = new byte[200];
        Semaphore window = new Semaphore(WINDOW);
        CountDownLatch done = new CountDownLatch(count);
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            window.acquire();
            client.create()
                    .withMode(CreateMode.PERSISTENT)
                    .inBackground(
                            (c, e) -> {
                                if (e.getResultCode() != 0) {
                                    errors.incrementAndGet();
                                }
                                window.release();
                                done.countDown();
                            })
                    .forPath(parent + "/n" + i, data);
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("raw creates did not finish within 5 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (errors.get() > 0) {
            throw new IllegalStateException(errors.get() + " raw creates failed");
        }
        deleteAll(client, parent, count);
        return count / seconds;
    }

    private static void deleteAll(CuratorFramework client, String parent, int count)
            throws Exception {
        Semaphore window = new Semaphore(WINDOW);
        CountDownLatch done = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            window.acquire();
            client.delete()
                    .inBackground(
                            (c, e) -> {
                                window.release();
                                done.countDown();
                            })
                    .forPath(parent + "/n" + i);
        }
        done.await(5, TimeUnit.MINUTES);
        client.delete().forPath(parent);
    }
}
