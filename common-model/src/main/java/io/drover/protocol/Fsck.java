package io.drover.protocol;

import io.drover.model.DroverPaths;
import io.drover.store.Layout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/**
 * {@code drover fsck}: walks a cluster's tree, lists every node that does not validate (kind, path,
 * what is wrong), and on the operator's say-so moves such nodes aside ({@code quarantine/<run>/},
 * data kept) or deletes them. Every repair is versioned: a node that changed since the scan (a
 * process rewrote it, or someone fixed it) is left alone.
 *
 * <p>Blocking; reads each node once, a bounded number in flight, so memory stays bounded by one
 * bucket's statuses. Thread-safe only for one call at a time.
 */
public final class Fsck {
    /**
     * A node that does not validate.
     *
     * @param version its data version when scanned
     * @param czxid the transaction that created it: with the version, what a repair checks, so a
     *     node deleted and created again since the scan is left alone
     * @param leaf false when the node has children (a repair then takes the whole subtree)
     */
    public record Finding(
            ZnodeKind kind, String path, String problem, int version, long czxid, boolean leaf) {}

    /**
     * What a repair did: the paths it moved or deleted, and the ones it left: changed or recreated
     * since the scan, no longer found by a second scan, or never repaired (the leader epoch, whose
     * version is the fence: deleting it would let an old leader's writes pass; the next leader
     * rewrites its data).
     */
    public record Repair(List<String> done, List<String> skipped) {}

    public enum Mode {
        QUARANTINE,
        DELETE
    }

    private final CuratorFramework client;
    private final DroverPaths paths;

    public Fsck(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /** Every node under the cluster's root that does not validate, in path order. */
    public List<Finding> scan() throws Exception {
        Layout.adopt(client, paths); // which buckets are the cluster's
        return new FsckScan(client, paths).run();
    }

    /**
     * Moves aside or deletes the nodes found, each only if a second scan still finds it, created by
     * the same transaction and at the same version. Quarantine copies a node's data to {@code
     * quarantine/<runMs>/<path with '/' as '%2F'>} in the same multi that deletes it; a node with
     * children (a folder that is not part of the layout) is deleted with its subtree after its own
     * copy. The leader epoch is never touched.
     */
    public Repair repair(List<Finding> findings, Mode mode) throws Exception {
        String run = quarantineRun(paths);
        if (mode == Mode.QUARANTINE) {
            client.create().creatingParentsIfNeeded().forPath(run);
        }
        Set<Finding> still = new HashSet<>(scan());
        List<String> done = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Finding f : findings) {
            if (f.kind() == ZnodeKind.EPOCH || !still.contains(f)) {
                skipped.add(f.path());
                continue;
            }
            try {
                if (!f.leaf()) {
                    deleteChildren(f.path());
                }
                List<CuratorOp> ops = new ArrayList<>();
                if (mode == Mode.QUARANTINE) {
                    byte[] data = client.getData().forPath(f.path());
                    ops.add(
                            client.transactionOp()
                                    .create()
                                    .forPath(quarantined(paths, run, f.path()), data));
                }
                ops.add(client.transactionOp().delete().withVersion(f.version()).forPath(f.path()));
                client.transaction().forOperations(ops);
                done.add(f.path());
            } catch (KeeperException.BadVersionException
                    | KeeperException.NoNodeException
                    | KeeperException.NotEmptyException changed) {
                skipped.add(f.path());
            }
        }
        return new Repair(done, skipped);
    }

    /** The quarantine folder of a repair (or a layout upgrade) that starts now. */
    public static String quarantineRun(DroverPaths paths) {
        return paths.root() + "/quarantine/" + System.currentTimeMillis();
    }

    /** Where the node at {@code path} goes in quarantine folder {@code run}. */
    public static String quarantined(DroverPaths paths, String run, String path) {
        return run + "/" + path.substring(paths.root().length() + 1).replace("/", "%2F");
    }

    private void deleteChildren(String path) throws Exception {
        for (String child : client.getChildren().forPath(path)) {
            client.delete().deletingChildrenIfNeeded().forPath(path + "/" + child);
        }
    }
}
