package io.drover.protocol;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZookeeperFactory;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * A ZooKeeper handle (Curator's usual {@link ZooKeeperAdmin}) that tells how many watches its
 * session holds, from the client's own watch tables: no server round trip and no four-letter word,
 * which servers usually do not allow ({@code wchs}, {@code mntr}). Every client {@link
 * ZooKeeperClients} builds uses it, so a process can report the watches it costs the ensemble.
 */
@SuppressWarnings("try") // ZooKeeper's own close() throws InterruptedException; Curator closes it
public final class WatchCountingZooKeeper extends ZooKeeperAdmin {
    /** Curator's factory for it ({@code CuratorFrameworkFactory.Builder#zookeeperFactory}). */
    public static final ZookeeperFactory FACTORY =
            new ZookeeperFactory() {
                @Override
                public org.apache.zookeeper.ZooKeeper newZooKeeper(
                        String connectString, int sessionTimeout, Watcher watcher, boolean readOnly)
                        throws IOException {
                    return new WatchCountingZooKeeper(
                            connectString, sessionTimeout, watcher, readOnly, new ZKClientConfig());
                }

                @Override
                public org.apache.zookeeper.ZooKeeper newZooKeeper(
                        String connectString,
                        int sessionTimeout,
                        Watcher watcher,
                        boolean readOnly,
                        ZKClientConfig config)
                        throws IOException {
                    return new WatchCountingZooKeeper(
                            connectString,
                            sessionTimeout,
                            watcher,
                            readOnly,
                            config == null ? new ZKClientConfig() : config);
                }
            };

    private WatchCountingZooKeeper(
            String connectString,
            int sessionTimeout,
            Watcher watcher,
            boolean readOnly,
            ZKClientConfig config)
            throws IOException {
        super(connectString, sessionTimeout, watcher, readOnly, config);
    }

    /**
     * Watched paths by kind ({@code data}, {@code exist}, {@code child}, {@code persistent}, {@code
     * persistent_recursive}): one watch each on the server. A copy of each table is taken under its
     * lock, so this costs a pass over this session's watches. Thread-safe; never blocks on the
     * network.
     */
    public Map<String, Integer> watchCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("data", getDataWatches().size());
        counts.put("exist", getExistWatches().size());
        counts.put("child", getChildWatches().size());
        counts.put("persistent", getPersistentWatches().size());
        counts.put("persistent_recursive", getPersistentRecursiveWatches().size());
        return counts;
    }

    /**
     * The watch counts of a client's current handle; empty if it has none yet, is closed, or was
     * not built by {@link ZooKeeperClients}.
     */
    public static Optional<Map<String, Integer>> of(CuratorFramework client) {
        try {
            return client.getZookeeperClient().getZooKeeper() instanceof WatchCountingZooKeeper z
                    ? Optional.of(z.watchCounts())
                    : Optional.empty();
        } catch (Exception noHandle) {
            return Optional.empty();
        }
    }
}
