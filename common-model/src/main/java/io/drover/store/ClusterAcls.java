package io.drover.store;

import io.drover.model.AccessDeniedException;
import io.drover.model.DroverPaths;
import io.drover.protocol.acl.AclPolicy;
import io.drover.protocol.acl.AclTable;
import io.drover.protocol.acl.DroverAclProvider;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Reads a cluster's ACL policy, if it has one, into the client's {@link DroverAclProvider}, so that
 * every node this process creates from then on gets the ACL of the role table. Run by {@link
 * Layout#ensure} before anything is written. Blocking.
 */
final class ClusterAcls {
    private ClusterAcls() {}

    static void load(CuratorFramework client, DroverPaths paths) throws Exception {
        byte[] data;
        try {
            data = client.getData().forPath(paths.aclPolicy());
        } catch (KeeperException.NoNodeException open) {
            return;
        } catch (KeeperException.NoAuthException e) {
            throw new AccessDeniedException(
                    "ZooKeeper refused to let this process read "
                            + paths.aclPolicy()
                            + ": the cluster has an ACL policy and this process holds none of the"
                            + " identities it lists (give it ZooKeeper credentials)",
                    e);
        }
        AclPolicy policy;
        try {
            policy = io.drover.protocol.Znodes.aclPolicy(paths.aclPolicy(), data);
        } catch (io.drover.model.CorruptZnodeException e) {
            throw new AccessDeniedException(e.getMessage(), e);
        }
        DroverAclProvider provider = io.drover.protocol.ZooKeeperClients.aclProvider(client);
        if (provider == null) {
            throw new AccessDeniedException(
                    "the cluster has an ACL policy, but this ZooKeeper client was not built by"
                            + " io.drover.protocol.ZooKeeperClients, so the nodes it creates would"
                            + " not get the ACLs the policy gives them",
                    null);
        }
        provider.install(paths.root(), new AclTable(paths, policy));
    }
}
