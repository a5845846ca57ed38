package io.drover.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Counts children without listing them: the sum of {@code Stat.numChildren} over folders, read with
 * pipelined asynchronous {@code exists} calls, all in flight at once. For counts over the bucketed
 * folders (live tasks, the cluster view), which must not cost a listing per request.
 */
public final class ChildCounts {
    private ChildCounts() {}

    /**
     * The sum of the folders' child counts; a missing folder counts 0, any other failure fails the
     * future with its {@link KeeperException}. Completes on ZooKeeper's event thread.
     */
    public static CompletableFuture<Long> sum(CuratorFramework client, List<String> folders) {
        List<CompletableFuture<Integer>> counts = new ArrayList<>(folders.size());
        for (String folder : folders) {
            counts.add(count(client, folder));
        }
        return CompletableFuture.allOf(counts.toArray(CompletableFuture[]::new))
                .thenApply(v -> counts.stream().mapToLong(CompletableFuture::join).sum());
    }

    private static CompletableFuture<Integer> count(CuratorFramework client, String folder) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        try {
            client.checkExists()
                    .inBackground(
                            (c, e) -> {
                                KeeperException.Code rc =
                                        KeeperException.Code.get(e.getResultCode());
                                if (rc == KeeperException.Code.OK
                                        || rc == KeeperException.Code.NONODE) {
                                    f.complete(
                                            e.getStat() == null ? 0 : e.getStat().getNumChildren());
                                } else {
                                    f.completeExceptionally(KeeperException.create(rc, folder));
                                }
                            })
                    .forPath(folder);
        } catch (Exception e) {
            f.completeExceptionally(e);
        }
        return f;
    }
}
