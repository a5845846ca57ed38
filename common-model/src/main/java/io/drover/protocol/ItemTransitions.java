package io.drover.protocol;

import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.LoadCommand;
import io.drover.model.ServedItem;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.zookeeper.CreateMode;

/**
 * Every ZooKeeper transition of a load/drop item (Druid's Coordinator → Historical protocol), each
 * built here as the ops of one {@code multi}. The leader issues and revokes commands (its writer
 * adds the epoch check); a worker carries one out by deleting it at the version it read, in the
 * same multi that creates or deletes its ephemeral served node, so a command the leader revoked or
 * replaced meanwhile cannot be half carried out. {@code ItemTransitionsTest} pins the ops.
 *
 * <p>Thread-safe; builders only.
 */
public final class ItemTransitions {
    /**
     * In a carried-out command's multi: the command's deletion comes first, the served node's
     * change second.
     */
    public static final int COMMAND_OP = 0;

    public static final int SERVED_OP = 1;

    private final CuratorFramework client;
    private final DroverPaths paths;

    public ItemTransitions(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /** Issue (leader): a LOAD or DROP in the worker's queue. */
    public List<CuratorOp> issue(String workerId, LoadCommand command) throws Exception {
        return List.of(
                op().create()
                        .forPath(
                                paths.loadCommand(workerId, command.itemId()),
                                DroverJson.encode(command)));
    }

    /**
     * Revoke (leader): a command taken away, or a failed one cleared after the worker reported it.
     */
    public List<CuratorOp> revoke(String workerId, String itemId) throws Exception {
        return List.of(op().delete().forPath(paths.loadCommand(workerId, itemId)));
    }

    /**
     * Loaded (worker): the LOAD consumed at its version and, unless already announced, the served
     * node created.
     */
    public List<CuratorOp> loaded(
            String workerId, String itemId, int commandVersion, ServedItem served)
            throws Exception {
        List<CuratorOp> ops = consume(workerId, itemId, commandVersion);
        if (served != null) {
            ops.add(
                    op().create()
                            .withMode(CreateMode.EPHEMERAL)
                            .forPath(
                                    paths.servedItem(workerId, itemId), DroverJson.encode(served)));
        }
        return ops;
    }

    /**
     * Dropped (worker): the DROP consumed at its version and, if it was announced, the served node
     * deleted.
     */
    public List<CuratorOp> dropped(
            String workerId, String itemId, int commandVersion, boolean announced)
            throws Exception {
        List<CuratorOp> ops = consume(workerId, itemId, commandVersion);
        if (announced) {
            ops.add(op().delete().forPath(paths.servedItem(workerId, itemId)));
        }
        return ops;
    }

    /**
     * Gave up (worker): the failure written into the command at the version read, for the leader to
     * act on.
     */
    public List<CuratorOp> failed(String workerId, int commandVersion, LoadCommand failedCommand)
            throws Exception {
        return List.of(
                op().setData()
                        .withVersion(commandVersion)
                        .forPath(
                                paths.loadCommand(workerId, failedCommand.itemId()),
                                DroverJson.encode(failedCommand)));
    }

    /**
     * Re-announce (worker, new session): an earlier session's served node replaced by this
     * session's.
     */
    public List<CuratorOp> takeOver(
            String workerId, String itemId, int oldVersion, ServedItem served) throws Exception {
        String path = paths.servedItem(workerId, itemId);
        return List.of(
                op().delete().withVersion(oldVersion).forPath(path),
                op().create()
                        .withMode(CreateMode.EPHEMERAL)
                        .forPath(path, DroverJson.encode(served)));
    }

    private List<CuratorOp> consume(String workerId, String itemId, int commandVersion)
            throws Exception {
        List<CuratorOp> ops = new ArrayList<>(2);
        ops.add(
                op().delete()
                        .withVersion(commandVersion)
                        .forPath(paths.loadCommand(workerId, itemId)));
        return ops;
    }

    private TransactionOp op() {
        return client.transactionOp();
    }
}
