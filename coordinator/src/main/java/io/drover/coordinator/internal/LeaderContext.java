package io.drover.coordinator.internal;

import io.drover.election.LeadershipTerm;
import io.drover.model.DroverPaths;
import io.drover.model.internal.MultiBatcher;
import io.drover.store.TaskStore;
import java.util.concurrent.Executor;
import org.apache.curator.framework.CuratorFramework;

/**
 * What the parts of one leadership term share: the session, the layout, the term and its fenced
 * batcher, the store for reads, the view, and the term's single thread.
 */
record LeaderContext(CuratorFramework client, DroverPaths paths, LeadershipTerm term, MultiBatcher batcher, TaskStore store,
                     ClusterView view, Executor executor) {

    /** Builds ops for a multi. */
    org.apache.curator.framework.api.transaction.TransactionOp op() {
        return client.transactionOp();
    }
}
