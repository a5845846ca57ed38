package io.drover.protocol.acl;

import io.drover.model.DroverPaths;
import io.drover.protocol.ZooKeeperClients;
import io.drover.store.Layout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;

/**
 * {@code drover acl check} and {@code apply}: whoever creates a node chooses its ACL, so a node
 * written by hand, by an older Drover or before the policy existed can differ from the table. This
 * walks the cluster's tree comparing every node's ACL with {@link AclTable}'s, and with {@code fix}
 * sets it. One {@code getChildren} and one {@code getACL} per node: minutes for a million nodes;
 * run it when the cluster is quiet. Blocking; needs read access to every node (and, to fix, the
 * admin identity).
 */
public final class AclSweep {
    /** A node whose ACL is not what the table says, or that the table cannot place. */
    public record Mismatch(String path, List<ACL> actual, List<ACL> expected, String problem) {}

    private AclSweep() {}

    /**
     * Stores {@code policy} as the cluster's, creates the layout under it, and sets every node's
     * ACL to the table's. Run with the admin identity, by a client {@link ZooKeeperClients} built.
     *
     * @return the nodes that differed (now fixed, apart from those whose {@code problem} says why
     *     not)
     */
    public static List<Mismatch> apply(CuratorFramework admin, DroverPaths paths, AclPolicy policy)
            throws Exception {
        AclTable table = new AclTable(paths, policy.validated());
        DroverAclProvider provider = ZooKeeperClients.aclProvider(admin);
        if (provider == null) {
            throw new IllegalArgumentException("build the admin's client with ZooKeeperClients");
        }
        provider.install(paths.root(), table);
        byte[] data = policy.encode();
        try {
            admin.create().creatingParentsIfNeeded().forPath(paths.aclPolicy(), data);
        } catch (KeeperException.NodeExistsException replace) {
            admin.setData().forPath(paths.aclPolicy(), data);
        }
        Layout.ensure(admin, paths);
        return sweep(admin, paths, table, true);
    }

    /** Compares every node with the table of the policy the cluster has; changes nothing. */
    public static List<Mismatch> check(CuratorFramework client, DroverPaths paths)
            throws Exception {
        AclPolicy policy =
                io.drover.protocol.Znodes.aclPolicy(
                        paths.aclPolicy(), client.getData().forPath(paths.aclPolicy()));
        return sweep(client, paths, new AclTable(paths, policy), false);
    }

    private static List<Mismatch> sweep(
            CuratorFramework client, DroverPaths paths, AclTable table, boolean fix)
            throws Exception {
        List<Mismatch> out = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(List.of(paths.root()));
        while (!todo.isEmpty()) {
            String path = todo.pop();
            if (!visit(client, path, table, fix, out)) {
                continue;
            }
            for (String child : client.getChildren().forPath(path)) {
                todo.push(path + "/" + child);
            }
        }
        return out;
    }

    /** Checks (and fixes) one node; false when it is gone. */
    private static boolean visit(
            CuratorFramework client, String path, AclTable table, boolean fix, List<Mismatch> out)
            throws Exception {
        List<ACL> actual;
        try {
            actual = client.getACL().forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            return false;
        }
        List<ACL> expected;
        try {
            expected = table.aclFor(path);
        } catch (IllegalStateException unknownWorker) {
            out.add(new Mismatch(path, actual, List.of(), unknownWorker.getMessage()));
            return true;
        }
        if (new HashSet<>(actual).equals(new HashSet<>(expected))) {
            return true;
        }
        out.add(new Mismatch(path, actual, expected, null));
        if (fix) {
            try {
                client.setACL().withACL(expected).forPath(path);
            } catch (KeeperException.NoNodeException gone) {
                return false;
            }
        }
        return true;
    }
}
