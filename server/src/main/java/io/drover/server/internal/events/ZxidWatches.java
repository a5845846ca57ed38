package io.drover.server.internal.events;

import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent watches whose notifications keep their zxid. Curator's {@code PersistentWatcher}
 * passes events through its namespace wrapper, which rebuilds each {@code WatchedEvent} without the
 * zxid (ZooKeeper 3.9 sends it; the event stream's ids are made of it). So these watches go on
 * Curator's current ZooKeeper handle directly, and are added again whenever Curator reports
 * RECONNECTED (a new session after an expiry has no watches; re-adding to a surviving session is
 * harmless). Paths are absolute. Never blocks: every call is asynchronous.
 */
final class ZxidWatches implements ConnectionStateListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZxidWatches.class);

    private final CuratorFramework client;
    private final Map<String, AddWatchMode> paths;
    private final Watcher watcher;
    private volatile boolean closed;

    ZxidWatches(CuratorFramework client, Map<String, AddWatchMode> paths, Watcher watcher) {
        this.client = client;
        this.paths = Map.copyOf(paths);
        this.watcher = watcher;
    }

    void start() {
        client.getConnectionStateListenable().addListener(this);
        add();
    }

    @Override
    public void stateChanged(CuratorFramework c, ConnectionState state) {
        if (state == ConnectionState.RECONNECTED) {
            add();
        }
    }

    private void add() {
        if (closed) {
            return;
        }
        try {
            ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
            paths.forEach(
                    (path, mode) ->
                            zk.addWatch(
                                    path,
                                    watcher,
                                    mode,
                                    (rc, p, ctx) -> {
                                        if (rc != KeeperException.Code.OK.intValue()) {
                                            // the next RECONNECTED adds it again
                                            LOG.warn(
                                                    "cannot watch {} for the event stream: {}",
                                                    p,
                                                    KeeperException.Code.get(rc));
                                        }
                                    },
                                    null));
        } catch (Exception e) {
            LOG.warn(
                    "cannot watch for the event stream now ({}); retrying on reconnection",
                    e.toString());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.getConnectionStateListenable().removeListener(this);
        try {
            ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
            for (String path : paths.keySet()) {
                zk.removeWatches(
                        path, watcher, Watcher.WatcherType.Any, true, (rc, p, ctx) -> {}, null);
            }
        } catch (Exception e) {
            LOG.debug(
                    "event stream watches not removed: {}", e.toString()); // the session ends soon
        }
    }
}
