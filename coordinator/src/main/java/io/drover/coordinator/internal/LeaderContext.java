package io.drover.coordinator.internal;

import io.drover.election.LeadershipTerm;
import io.drover.model.DroverPaths;
import io.drover.protocol.CorruptNodes;
import io.drover.store.TaskStore;
import java.util.concurrent.Executor;
import org.apache.curator.framework.CuratorFramework;

/**
 * What the parts of one leadership term share: the session, the layout, the term and its writer
 * (the only way to write), the store for reads, the view, the term's single thread, the
 * coordinator's guard for corrupt nodes, and its listeners.
 */
record LeaderContext(
        CuratorFramework client,
        DroverPaths paths,
        LeadershipTerm term,
        TermWriter writer,
        TaskStore store,
        ClusterView view,
        Executor executor,
        CorruptNodes corrupt,
        LeaderEvents events) {

    /** Builds ops for a multi. */
    org.apache.curator.framework.api.transaction.TransactionOp op() {
        return client.transactionOp();
    }
}
