package io.drover.testkit;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Fault tools that act on real ZooKeeper sessions. */
public final class Faults {
    private Faults() {}

    /**
     * Expires a client's session on the server, for real: a second handle joins the same session
     * and closes it, so the server deletes the session's ephemerals at once and the client learns
     * of the expiry when it next talks to the server (as after a long partition or GC pause).
     */
    public static void expireSession(CuratorFramework client, String connectString)
            throws Exception {
        ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
        long sessionId = zk.getSessionId();
        byte[] password = zk.getSessionPasswd();
        CountDownLatch connected = new CountDownLatch(1);
        Watcher watcher =
                event -> {
                    if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                        connected.countDown();
                    }
                };
        ZooKeeper twin = new ZooKeeper(connectString, 10_000, watcher, sessionId, password);
        try {
            if (!connected.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "could not join session 0x" + Long.toHexString(sessionId));
            }
        } finally {
            twin.close();
        }
    }
}
