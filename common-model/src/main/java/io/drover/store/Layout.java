package io.drover.store;

import io.drover.model.DroverException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.ZooKeeperUnavailableException;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Creates the persistent skeleton of a cluster (bucket parents and friends) once. Anyone may call
 * it (client, worker, coordinator): the marker node makes later calls a single {@code exists}.
 * Blocking; do not call on the ZooKeeper event thread.
 */
public final class Layout {
    private Layout() {}

    public static void ensure(CuratorFramework client, DroverPaths paths) {
        try {
            byte[] marker = client.checkExists().forPath(paths.layoutMarker()) == null ? null
                    : client.getData().forPath(paths.layoutMarker());
            if (marker != null) {
                checkVersion(paths, marker);
                return;
            }
            for (String parent : paths.persistentParents()) {
                try {
                    client.create().creatingParentsIfNeeded().forPath(parent);
                } catch (KeeperException.NodeExistsException alreadyThere) {
                    // another process is creating the layout too; both succeed
                }
            }
            try {
                client.create().forPath(paths.layoutMarker(), DroverJson.encode(
                        Map.of("layoutVersion", DroverPaths.LAYOUT_VERSION, "buckets", DroverPaths.BUCKETS)));
            } catch (KeeperException.NodeExistsException alreadyThere) {
                checkVersion(paths, client.getData().forPath(paths.layoutMarker()));
            }
        } catch (DroverException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZooKeeperUnavailableException("interrupted while creating the layout under " + paths.root(), e);
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException("cannot create the layout under " + paths.root() + ": " + e.getMessage(), e);
        }
    }

    private static void checkVersion(DroverPaths paths, byte[] marker) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = DroverJson.decode(paths.layoutMarker(), marker, Map.class);
        Object version = m.get("layoutVersion");
        Object buckets = m.get("buckets");
        if (!Integer.valueOf(DroverPaths.LAYOUT_VERSION).equals(version) || !Integer.valueOf(DroverPaths.BUCKETS).equals(buckets)) {
            throw new DroverException("cluster " + paths.root() + " uses layout " + m + ", this Drover understands layoutVersion "
                    + DroverPaths.LAYOUT_VERSION + " with " + DroverPaths.BUCKETS + " buckets", false);
        }
    }
}
