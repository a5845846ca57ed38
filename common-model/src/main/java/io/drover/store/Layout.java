package io.drover.store;

import io.drover.model.Buckets;
import io.drover.model.CorruptZnodeException;
import io.drover.model.DroverException;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.ZooKeeperUnavailableException;
import io.drover.protocol.ZnodeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the persistent skeleton of a cluster (bucket parents and friends) once. Anyone may call
 * it (client, worker, coordinator): the marker node makes later calls a single {@code exists}.
 * Blocking; do not call on the ZooKeeper event thread.
 */
public final class Layout {
    private static final Logger LOG = LoggerFactory.getLogger(Layout.class);

    private Layout() {}

    /** Persistent parents that must exist before any task is submitted. */
    public static List<String> persistentParents(DroverPaths paths) {
        List<String> out =
                new ArrayList<>(
                        List.of(
                                paths.root() + "/leader",
                                paths.coordinators(),
                                paths.workers(),
                                paths.assignments(),
                                paths.claims(),
                                paths.cancels(),
                                paths.drains(),
                                paths.types(),
                                paths.breakers(),
                                paths.graphs(),
                                paths.broadcasts(),
                                paths.items(),
                                paths.loadQueue(),
                                paths.served()));
        for (String root :
                List.of(
                        paths.tasks(),
                        paths.statuses(),
                        paths.pending(),
                        paths.done(),
                        paths.waiting())) {
            out.addAll(paths.buckets(root));
        }
        out.add(paths.schedules()); // last: its presence says the whole skeleton is there
        return out;
    }

    public static void ensure(CuratorFramework client, DroverPaths paths) {
        try {
            ClusterAcls.load(client, paths);
            Stat stat = new Stat();
            byte[] marker = read(client, paths, stat);
            if (marker != null) {
                if (readable(paths, marker)) {
                    refuseWhileUpgrading(paths, marker);
                    checkVersion(paths, marker, stat.getVersion());
                } else {
                    inferLayout(client, paths);
                }
                if (client.checkExists().forPath(paths.schedules()) != null) {
                    return;
                } // else laid out by a version before the workflow folders: add what is missing
            }
            for (String parent : persistentParents(paths)) {
                try {
                    client.create().creatingParentsIfNeeded().forPath(parent);
                } catch (KeeperException.NodeExistsException alreadyThere) {
                    // another process is creating the layout too; both succeed
                }
            }
            try {
                client.create()
                        .forPath(
                                paths.layoutMarker(),
                                DroverJson.encode(
                                        Map.of(
                                                "layoutVersion",
                                                paths.layoutVersion(),
                                                "buckets",
                                                Buckets.countOf(paths.layoutVersion()))));
                paths.adoptLayout(paths.layoutVersion(), 0);
            } catch (KeeperException.NodeExistsException alreadyThere) {
                byte[] raced = read(client, paths, stat);
                if (raced != null && readable(paths, raced)) {
                    checkVersion(paths, raced, stat.getVersion());
                }
            }
        } catch (DroverException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZooKeeperUnavailableException(
                    "interrupted while creating the layout under " + paths.root(), e);
        } catch (Exception e) {
            throw new ZooKeeperUnavailableException(
                    "cannot create the layout under " + paths.root() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates one of a worker's own folders, or, when it is there from an earlier run under the
     * same id, touches it (an empty {@code setData}): the leader deletes a departed worker's
     * folders only at the version it read and only when they have not changed for a while, so a
     * touch keeps them. Blocking.
     */
    public static void ensureWorkerFolder(CuratorFramework client, String folder) throws Exception {
        for (int tries = 0; ; tries++) {
            try {
                client.create().creatingParentsIfNeeded().forPath(folder);
                return;
            } catch (KeeperException.NodeExistsException known) {
                try {
                    client.setData().forPath(folder, new byte[0]);
                    return;
                } catch (KeeperException.NoNodeException sweptMeanwhile) {
                    if (tries == 2) {
                        throw sweptMeanwhile;
                    }
                }
            }
        }
    }

    /**
     * A marker that says nothing readable (garbage, {@code {}}) must not keep every process from
     * starting: it is reported, the layout is made sure of as if there were none, and the marker is
     * left for an operator ({@code drover fsck} lists it). Only a marker that names another layout
     * stops a process.
     */
    private static boolean readable(DroverPaths paths, byte[] marker) {
        try {
            markerOf(paths, marker);
            return true;
        } catch (CorruptZnodeException e) {
            LOG.warn("{}; assuming this Drover's layout", e.getMessage());
            return false;
        }
    }

    /**
     * Checks a marker's data: unreadable is a {@link CorruptZnodeException}; another layout than
     * this Drover's is a {@link DroverException} that retrying cannot help.
     */
    public static void checkMarker(DroverPaths paths, byte[] marker) {
        markerOf(paths, marker);
        checkVersion(paths, marker, -1);
    }

    /** A marker's fields, validated: unreadable is a {@link CorruptZnodeException}. */
    static Map<?, ?> markerOf(DroverPaths paths, byte[] marker) {
        Map<?, ?> m;
        try {
            m = DroverJson.decode(paths.layoutMarker(), marker, Map.class);
        } catch (CorruptZnodeException e) {
            throw e.as(ZnodeKind.LAYOUT);
        }
        if (!(m.get("layoutVersion") instanceof Integer && m.get("buckets") instanceof Integer)) {
            throw new CorruptZnodeException(
                    ZnodeKind.LAYOUT,
                    paths.layoutMarker(),
                    "names no layoutVersion and buckets",
                    null);
        }
        return m;
    }

    /**
     * Adopts the layout the marker names; another layout than this Drover knows is a {@link
     * DroverException} that retrying cannot help.
     */
    private static void checkVersion(DroverPaths paths, byte[] marker, int markerVersion) {
        Map<?, ?> m = markerOf(paths, marker);
        int version = (Integer) m.get("layoutVersion");
        int buckets = Buckets.countOf(version);
        if (buckets == 0 || !Integer.valueOf(buckets).equals(m.get("buckets"))) {
            throw new DroverException(
                    "cluster "
                            + paths.root()
                            + " uses layout "
                            + m
                            + ", this Drover understands layoutVersion 1 with 64 buckets and "
                            + DroverPaths.LAYOUT_VERSION
                            + " with "
                            + DroverPaths.BUCKETS,
                    false);
        }
        paths.adoptLayout(version, markerVersion);
    }

    /** What a marker read again says to a process that joined earlier. */
    enum MarkerSays {
        /** Its layout still, or nothing readable (which leaves the layout as it was at joining). */
        SAME_LAYOUT,
        /** An upgrade is running, or stopped half-way. */
        UPGRADING,
        /** Another layout: the process's paths are out of date. */
        MOVED
    }

    static MarkerSays reread(DroverPaths paths, byte[] marker) {
        Map<?, ?> m;
        try {
            m = markerOf(paths, marker);
        } catch (CorruptZnodeException unreadable) {
            return MarkerSays.SAME_LAYOUT;
        }
        if (m.containsKey(UpgradeMarker.UPGRADING_TO)) {
            return MarkerSays.UPGRADING;
        }
        return m.get("layoutVersion").equals(paths.layoutVersion())
                ? MarkerSays.SAME_LAYOUT
                : MarkerSays.MOVED;
    }

    /**
     * A cluster that {@link LayoutUpgrade} is moving (or left half-moved) takes no process: one
     * that joined would read and write half its tasks in the wrong buckets.
     */
    private static void refuseWhileUpgrading(DroverPaths paths, byte[] marker) {
        Object to = markerOf(paths, marker).get(UpgradeMarker.UPGRADING_TO);
        if (to != null) {
            throw new DroverException(
                    "cluster "
                            + paths.root()
                            + " is being moved to layout "
                            + to
                            + " by drover layout upgrade (if that run stopped, run it again to"
                            + " finish); start this process once it is done",
                    true);
        }
    }

    /**
     * With no readable marker, the skeleton says which layout it is: only layout 2 has a bucket
     * {@code ff}, only a layout-1 cluster has {@code 3f} without it.
     */
    private static void inferLayout(CuratorFramework client, DroverPaths paths) throws Exception {
        if (client.checkExists().forPath(paths.tasks() + "/ff") != null) {
            paths.adoptLayout(2);
        } else if (client.checkExists().forPath(paths.tasks() + "/3f") != null) {
            paths.adoptLayout(1);
        }
    }

    /**
     * Adopts the layout of a cluster that may not exist yet, creating nothing: for tools that read
     * ({@code drover fsck}). Without a marker the paths keep this Drover's layout. Blocking.
     */
    public static void adopt(CuratorFramework client, DroverPaths paths) throws Exception {
        Stat stat = new Stat();
        byte[] marker = read(client, paths, stat);
        if (marker != null && readable(paths, marker)) {
            checkVersion(paths, marker, stat.getVersion());
        } else {
            inferLayout(client, paths);
        }
    }

    private static byte[] read(CuratorFramework client, DroverPaths paths, Stat stat)
            throws Exception {
        try {
            return client.getData().storingStatIn(stat).forPath(paths.layoutMarker());
        } catch (KeeperException.NoNodeException none) {
            return null;
        }
    }
}
