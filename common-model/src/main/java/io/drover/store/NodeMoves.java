package io.drover.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Moves a persistent znode to another path and keeps its version: the copy is created, then set as
 * many times as the original was (empty until the last set, which writes the data), and the
 * original is deleted at the version it was read at. Versions must survive a move because other
 * records carry them: a pending entry and an assignment hold the version of their task's status,
 * and the leader writes the status at that version.
 */
final class NodeMoves {
    /** Sets one move may take in a single {@code multi}; a node set more often moves in steps. */
    static final int SETS_PER_MULTI = 500;

    private static final byte[] EMPTY = new byte[0];

    private final CuratorFramework client;

    NodeMoves(CuratorFramework client) {
        this.client = client;
    }

    /**
     * The ops of one whole move, for a node read with {@code data} at {@code version}; null when it
     * was set too often for one multi ({@link #moveStepwise} then).
     */
    List<CuratorOp> ops(String from, String to, byte[] data, int version) throws Exception {
        if (version > SETS_PER_MULTI) {
            return null;
        }
        List<CuratorOp> ops = new ArrayList<>(version + 2);
        ops.add(client.transactionOp().create().forPath(to, version == 0 ? data : EMPTY));
        for (int set = 1; set <= version; set++) {
            ops.add(client.transactionOp().setData().forPath(to, set == version ? data : EMPTY));
        }
        ops.add(client.transactionOp().delete().withVersion(version).forPath(from));
        return ops;
    }

    /** What a move found. */
    enum Outcome {
        MOVED,
        /** Moved, after a node that stood at the new path went to quarantine. */
        MOVED_OVER,
        GONE,
        /** Left: the two nodes kept changing under the move, so the cluster is not stopped. */
        STUCK
    }

    /**
     * Moves one node synchronously, in as many multis as its version needs, resuming a copy an
     * interrupted run left behind (empty, at a lower version). A node at the new path that is no
     * such copy is no task's (a layout-1 cluster has nothing there): it is moved, with its data, to
     * {@code quarantine} (named as {@code drover fsck --quarantine} names them), in the multi that
     * starts the copy. However often the node was set, each multi takes it {@value #SETS_PER_MULTI}
     * versions further. Blocking.
     *
     * @param quarantine where a node at a path goes aside (its folder made sure of)
     */
    Outcome moveStepwise(String from, String to, UnaryOperator<String> quarantine)
            throws Exception {
        boolean over = false;
        int stalls = 0; // multis in a row that changed nothing: someone else is changing the nodes
        while (stalls < 20) {
            Stat old = new Stat();
            byte[] data;
            try {
                data = client.getData().storingStatIn(old).forPath(from);
            } catch (KeeperException.NoNodeException gone) {
                return Outcome.GONE;
            }
            Stat copy = new Stat();
            byte[] copied = null;
            try {
                copied = client.getData().storingStatIn(copy).forPath(to);
            } catch (KeeperException.NoNodeException none) {
                copy = null;
            }
            List<CuratorOp> ops = new ArrayList<>();
            boolean asideNow = false;
            int at;
            if (copy == null) {
                ops.add(
                        client.transactionOp()
                                .create()
                                .forPath(to, old.getVersion() == 0 ? data : EMPTY));
                at = 0;
            } else if (copy.getVersion() == old.getVersion() && Arrays.equals(copied, data)) {
                at = old.getVersion(); // copied in full before: only the original is left
            } else if (copied.length == 0 && copy.getVersion() < old.getVersion()) {
                at = copy.getVersion(); // a copy an interrupted run began
            } else {
                asideNow = true;
                ops.add(client.transactionOp().create().forPath(quarantine.apply(to), copied));
                ops.add(client.transactionOp().delete().withVersion(copy.getVersion()).forPath(to));
                ops.add(
                        client.transactionOp()
                                .create()
                                .forPath(to, old.getVersion() == 0 ? data : EMPTY));
                at = 0;
            }
            while (at < old.getVersion() && ops.size() < SETS_PER_MULTI) {
                at++;
                ops.add(
                        client.transactionOp()
                                .setData()
                                .forPath(to, at == old.getVersion() ? data : EMPTY));
            }
            if (at == old.getVersion()) {
                ops.add(
                        client.transactionOp()
                                .delete()
                                .withVersion(old.getVersion())
                                .forPath(from));
            }
            try {
                client.transaction().forOperations(ops);
            } catch (KeeperException.NodeExistsException
                    | KeeperException.NoNodeException
                    | KeeperException.BadVersionException changedMeanwhile) {
                stalls++;
                continue; // read both again
            }
            stalls = 0;
            over |= asideNow;
            if (at == old.getVersion()) {
                return over ? Outcome.MOVED_OVER : Outcome.MOVED;
            }
        }
        return Outcome.STUCK;
    }
}
