package io.drover.protocol.acl;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

/**
 * The ACL of every node a Drover-built client creates (Curator asks its {@link ACLProvider} for
 * each create, in a {@code multi} too). Open ({@code world:anyone}) until {@link
 * io.drover.store.Layout} finds the cluster's {@link AclPolicy} and {@link #install installs} its
 * table, which every process does at start before it writes anything. Thread-safe.
 */
public final class DroverAclProvider implements ACLProvider {
    /** By cluster root ({@code /drover/<cluster>}): one client may serve several clusters. */
    private final Map<String, AclTable> tables = new ConcurrentHashMap<>();

    /** From now on, nodes under {@code root} get the ACL of this table. */
    public void install(String root, AclTable t) {
        tables.put(root, t);
    }

    @Override
    public List<ACL> getDefaultAcl() {
        return ZooDefs.Ids.OPEN_ACL_UNSAFE;
    }

    @Override
    public List<ACL> getAclForPath(String path) {
        String[] seg = path.split("/", 4); // "", "drover", cluster, rest
        AclTable t = seg.length >= 3 ? tables.get("/" + seg[1] + "/" + seg[2]) : null;
        return t == null ? ZooDefs.Ids.OPEN_ACL_UNSAFE : t.aclFor(path);
    }
}
