package io.drover.protocol;

import io.drover.model.DroverPaths;
import io.drover.model.TaskSpec;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.TransactionOp;

/**
 * Retention's transitions (leader): deleting an ended task, and an index entry left alone. Kept
 * beside {@link TaskTransitions}, which builds every transition of a task while it lives (a re-run
 * takes a task out of the retention index there). Stateless; thread-safe; builders only.
 */
public final class RetentionTransitions {
    private final CuratorFramework client;
    private final DroverPaths paths;

    public RetentionTransitions(CuratorFramework client, DroverPaths paths) {
        this.client = client;
        this.paths = paths;
    }

    /**
     * Spec, status (at the terminal version read) and index entry; creating and deleting the
     * pending entry's place fails if an entry is there (a forged end, {@link
     * TaskTransitions#restorePending}).
     */
    public List<CuratorOp> retire(TaskSpec spec, int statusVersion, String donePath)
            throws Exception {
        String noEntry = paths.pending(spec);
        return List.of(
                op().delete().forPath(paths.task(spec.id())),
                op().delete().withVersion(statusVersion).forPath(paths.status(spec.id())),
                op().delete().forPath(donePath),
                op().create().forPath(noEntry),
                op().delete().forPath(noEntry));
    }

    /** An index entry whose spec or status is already gone, or whose task runs again. */
    public List<CuratorOp> retireIndexEntry(String donePath) throws Exception {
        return List.of(op().delete().forPath(donePath));
    }

    private TransactionOp op() {
        return client.transactionOp();
    }
}
