package io.drover.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;

/**
 * The ceilings the bench compares Drover with, on the same ZooKeeper in the same run: plain
 * asynchronous 200-byte creates from one client with {@value #WINDOW} in flight (the baseline of
 * the throughput ratio), and the same creates grouped into multis, as Drover's group commit sends
 * its writes. Each run deletes what it created.
 */
final class RawCreateBench {
    /** Requests in flight at once, creates or multis. */
    static final int WINDOW = 2_000;

    private static final byte[] DATA = new byte[200];

    private RawCreateBench() {}

    /** Creates {@code count} znodes under {@code parent}, one request each; creates per second. */
    static double createsPerSecond(CuratorFramework client, String parent, int count)
            throws Exception {
        return run(client, parent, count, 1);
    }

    /**
     * Creates {@code count} znodes under {@code parent} in multis of {@code perMulti} creates;
     * creates (not multis) per second.
     */
    static double multiCreatesPerSecond(
            CuratorFramework client, String parent, int count, int perMulti) throws Exception {
        return run(client, parent, count, perMulti);
    }

    private static double run(CuratorFramework client, String parent, int count, int perMulti)
            throws Exception {
        client.create().creatingParentsIfNeeded().forPath(parent);
        int requests = (count + perMulti - 1) / perMulti;
        AsyncWindow window = new AsyncWindow(requests, WINDOW / perMulti);
        long start = System.nanoTime();
        for (int r = 0; r < requests; r++) {
            window.acquire();
            int from = r * perMulti;
            int to = Math.min(count, from + perMulti);
            org.apache.curator.framework.api.BackgroundCallback cb =
                    (c, e) -> window.done(e.getResultCode(), -1);
            if (perMulti == 1) {
                client.create()
                        .withMode(CreateMode.PERSISTENT)
                        .inBackground(cb)
                        .forPath(parent + "/n" + from, DATA);
            } else {
                List<CuratorOp> ops = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    ops.add(client.transactionOp().create().forPath(parent + "/n" + i, DATA));
                }
                client.transaction().inBackground(cb).forOperations(ops);
            }
        }
        try {
            window.await("create " + count + " raw znodes");
            return count / ((System.nanoTime() - start) / 1e9); // timed before the clean-up
        } finally {
            ZkTrees.delete(client.getZookeeperClient().getZooKeeper(), parent);
        }
    }
}
