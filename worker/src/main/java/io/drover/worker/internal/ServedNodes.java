package io.drover.worker.internal;

import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.ItemSpec;
import io.drover.model.ServedItem;
import io.drover.protocol.ItemTransitions;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's ephemeral {@code served/<self>/<item>} nodes outside a command's multi: whether the
 * current session owns one, announcing an item again in a new session (taking over an earlier
 * session's node), and removing them when the worker stops but its session lives on. Blocking; item
 * threads and the closing thread.
 */
final class ServedNodes {
    private static final Logger LOG = LoggerFactory.getLogger(ServedNodes.class);

    private final CuratorFramework client;
    private final DroverPaths paths;
    private final String workerId;
    private final LongSupplier sessionId;
    private final ItemTransitions transitions;

    ServedNodes(
            CuratorFramework client, DroverPaths paths, String workerId, LongSupplier sessionId) {
        this.client = client;
        this.paths = paths;
        this.workerId = workerId;
        this.sessionId = sessionId;
        this.transitions = new ItemTransitions(client, paths);
    }

    /** True if this worker's current session owns the item's served node. */
    boolean ownedByThisSession(String id) throws Exception {
        Stat stat = client.checkExists().forPath(paths.servedItem(workerId, id));
        return stat != null && stat.getEphemeralOwner() == sessionId.getAsLong();
    }

    /** Creates our served node, replacing one left by an earlier session of this worker id. */
    void announce(String id, ItemSpec spec) throws Exception {
        String path = paths.servedItem(workerId, id);
        ServedItem served =
                new ServedItem(
                        ServedItem.FORMAT_VERSION,
                        workerId,
                        id,
                        System.currentTimeMillis(),
                        0,
                        spec.createdAtMs());
        for (int tries = 0; tries < 3; tries++) {
            Stat stat = client.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() == sessionId.getAsLong()) {
                return;
            }
            try {
                if (stat != null) {
                    client.transaction()
                            .forOperations(
                                    transitions.takeOver(workerId, id, stat.getVersion(), served));
                } else {
                    client.create()
                            .creatingParentsIfNeeded()
                            .withMode(CreateMode.EPHEMERAL)
                            .forPath(path, DroverJson.encode(served));
                }
                return;
            } catch (KeeperException.NodeExistsException
                    | KeeperException.NoNodeException
                    | KeeperException.BadVersionException raced) {
                // a retried create that went through, or the old session's node vanishing
                // meanwhile: look again
            }
        }
        throw new IllegalStateException("served node " + path + " kept changing");
    }

    /**
     * The worker stops but its session lives on: the items are no longer held by a running worker.
     */
    void remove(Set<String> ids) {
        for (String id : ids) {
            try {
                client.delete().forPath(paths.servedItem(workerId, id));
            } catch (Exception e) {
                LOG.debug("could not unannounce {}", id, e);
            }
        }
    }
}
