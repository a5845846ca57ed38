package io.drover.protocol.acl;

import static org.apache.zookeeper.ZooDefs.Perms.ALL;
import static org.apache.zookeeper.ZooDefs.Perms.CREATE;
import static org.apache.zookeeper.ZooDefs.Perms.DELETE;
import static org.apache.zookeeper.ZooDefs.Perms.READ;
import static org.apache.zookeeper.ZooDefs.Perms.WRITE;

import io.drover.model.DroverPaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * The ACL of every path of a cluster, from its {@link AclPolicy}: the role table of {@code
 * docs/security.md}, derived from who writes what ({@code docs/zk-layout.md}). Admins may do
 * everything everywhere; every Drover identity may read everything; each write permission goes to
 * the roles that need it and to no one else. ZooKeeper checks CREATE and DELETE on the parent, so a
 * folder's ACL says who may add and remove its children, and a leaf's says who may change it. Pure
 * and thread-safe.
 */
public final class AclTable {
    private final String root;
    private final List<Id> admin;
    private final List<Id> coordinator;
    private final List<Id> client;
    private final List<Id> worker;
    private final Map<String, List<Id>> workers = new LinkedHashMap<>();

    public AclTable(DroverPaths paths, AclPolicy policy) {
        this.root = paths.root();
        this.admin = AclPolicy.ids("admin", policy.admin());
        this.coordinator = AclPolicy.ids("coordinator", policy.coordinator());
        this.client = AclPolicy.ids("client", policy.client());
        this.worker = AclPolicy.ids("worker", policy.worker());
        policy.workers()
                .forEach((id, acls) -> workers.put(id, AclPolicy.ids("workers." + id, acls)));
    }

    /**
     * The ACL {@code path} must have.
     *
     * @throws IllegalStateException for a worker's own node when the policy has no identity for
     *     that worker: nobody could write it, so the worker must not start
     */
    public List<ACL> aclFor(String path) {
        Grants g = new Grants();
        if (!path.startsWith(root + "/")) {
            return g.list(); // the cluster root: admins write, everyone reads
        }
        String[] seg = path.substring(root.length() + 1).split("/");
        int depth = seg.length;
        final int folder = CREATE | DELETE;
        switch (seg[0]) {
            case "leader" -> {
                boolean isFolder = depth == 1 || (depth == 2 && seg[1].equals("latch"));
                g.add(coordinator, isFolder ? folder : WRITE);
            }
            case "coordinators" -> g.add(coordinator, depth == 1 ? folder : WRITE);
            case "workers" -> {
                if (depth == 1) {
                    g.add(worker, folder);
                } else {
                    g.add(self(seg[1]), WRITE); // its state, ACTIVE or DRAINING
                }
            }
            case "tasks" -> bucketed(g, depth, List.of(coordinator, client), 0);
            case "status" -> bucketed(g, depth, List.of(coordinator, client), WRITE);
            case "pending" -> bucketed(g, depth, List.of(coordinator, client, worker), 0);
            case "done" -> bucketed(g, depth, List.of(coordinator, worker), 0);
            case "waiting" -> bucketed(g, depth, List.of(coordinator, client), 0);
            case "claims" -> {
                if (depth == 1) {
                    g.add(worker, folder);
                    g.add(coordinator, DELETE);
                }
            }
            case "cancels" -> {
                if (depth == 1) {
                    g.add(client, CREATE);
                    g.add(coordinator, folder);
                }
            }
            case "drains" -> {
                if (depth == 1) {
                    g.add(client, CREATE);
                    g.add(coordinator, folder);
                    g.add(worker, DELETE);
                }
            }
            case "items", "types", "graphs", "schedules" -> {
                // putting an item also rewrites the items folder: the fence of the item cap
                int parent = seg[0].equals("items") ? folder | WRITE : folder;
                g.add(client, depth == 1 ? parent : WRITE);
                g.add(coordinator, depth == 1 ? parent : WRITE);
            }
            case "breakers", "broadcasts" -> g.add(coordinator, depth == 1 ? folder : WRITE);
            case "assignments", "loadqueue", "served" -> perWorker(g, seg, depth);
            default -> {
                // layout, acl, quarantine and anything unknown: admins only
            }
        }
        return g.list();
    }

    /** Whether the policy names an identity of its own for this worker. */
    public boolean knowsWorker(String workerId) {
        return workers.containsKey(workerId);
    }

    /**
     * {@code tasks}, {@code status}, {@code pending}, {@code done}: the writers create in the
     * buckets, only coordinators delete (retention, dispatch); {@code leafWrite} for the nodes.
     */
    private void bucketed(Grants g, int depth, List<List<Id>> creators, int leafWrite) {
        if (depth <= 2) {
            creators.forEach(ids -> g.add(ids, CREATE));
            g.add(coordinator, DELETE);
        } else if (leafWrite != 0) {
            g.add(coordinator, leafWrite);
            g.add(worker, leafWrite); // RUNNING, progress, the end: see docs/security.md
        }
    }

    /**
     * A worker creates its own folder (and only it, and coordinators, may then change what is in
     * it); the leader writes assignments and load commands in it and deletes a departed worker's
     * empty folder.
     */
    private void perWorker(Grants g, String[] seg, int depth) {
        boolean served = seg[0].equals("served");
        if (depth == 1) {
            g.add(worker, CREATE);
            g.add(coordinator, DELETE);
        } else if (depth == 2) {
            List<Id> self = self(seg[1]);
            g.add(self, WRITE | (served ? CREATE | DELETE : DELETE));
            g.add(coordinator, served ? DELETE : CREATE | WRITE | DELETE);
        } else {
            if (!served) {
                g.add(coordinator, WRITE); // cancelRequested; a load command's revocation
            }
            List<Id> self = workers.get(seg[1]);
            if (!seg[0].equals("assignments") && self != null) {
                // a failed load's report; the served record. A worker the policy names only after
                // this process read it gets no write here until an acl apply (docs/security.md).
                g.add(self, WRITE);
            }
        }
    }

    private List<Id> self(String workerId) {
        List<Id> ids = workers.get(workerId);
        if (ids == null) {
            throw new IllegalStateException(
                    "worker "
                            + workerId
                            + " has no identity of its own in the ACL policy ("
                            + root
                            + "/acl); add it under workers with drover acl apply");
        }
        return ids;
    }

    /**
     * Accumulates permissions per identity: admins all, every role READ (a worker reads through the
     * worker role, so a worker's own identity is named only where it writes, and adding a worker
     * changes no other node's ACL).
     */
    private final class Grants {
        private final Map<Id, Integer> perms = new LinkedHashMap<>();

        Grants() {
            add(admin, ALL);
            for (List<Id> role : List.of(coordinator, client, worker)) {
                add(role, READ);
            }
        }

        void add(List<Id> ids, int p) {
            ids.forEach(id -> perms.merge(id, p, (a, b) -> a | b));
        }

        List<ACL> list() {
            List<ACL> out = new ArrayList<>();
            perms.forEach((id, p) -> out.add(new ACL(p, id)));
            return out;
        }
    }
}
