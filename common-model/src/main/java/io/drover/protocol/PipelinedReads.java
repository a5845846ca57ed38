package io.drover.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Reads many znodes with asynchronous {@code getData}s, a bounded number in flight: separate
 * requests, not one multi, so no reply can outgrow the client's packet limit. Blocking; not on the
 * ZooKeeper event thread.
 */
final class PipelinedReads {
    static final int IN_FLIGHT = 200;

    /** A node's data and stat; {@code data} null when it vanished before its read. */
    record Node(String path, byte[] data, Stat stat) {}

    interface Visitor {
        void visit(Node node) throws Exception;
    }

    private PipelinedReads() {}

    static void readAll(CuratorFramework client, List<String> paths, Visitor visitor)
            throws Exception {
        for (int from = 0; from < paths.size(); from += IN_FLIGHT) {
            List<String> chunk = paths.subList(from, Math.min(paths.size(), from + IN_FLIGHT));
            List<CompletableFuture<Node>> reads = new ArrayList<>(chunk.size());
            for (String p : chunk) {
                reads.add(read(client, p));
            }
            for (CompletableFuture<Node> r : reads) {
                visitor.visit(ZooKeeperCalls.await(r));
            }
        }
    }

    private static CompletableFuture<Node> read(CuratorFramework client, String path)
            throws Exception {
        CompletableFuture<Node> f = new CompletableFuture<>();
        client.getData()
                .inBackground(
                        (c, e) -> {
                            KeeperException.Code rc = KeeperException.Code.get(e.getResultCode());
                            if (rc == KeeperException.Code.OK) {
                                f.complete(new Node(path, e.getData(), e.getStat()));
                            } else if (rc == KeeperException.Code.NONODE) {
                                f.complete(new Node(path, null, null));
                            } else {
                                f.completeExceptionally(KeeperException.create(rc, path));
                            }
                        })
                .forPath(path);
        return f;
    }
}
