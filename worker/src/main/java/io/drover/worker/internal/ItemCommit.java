package io.drover.worker.internal;

import io.drover.protocol.ItemTransitions;
import java.util.List;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's commit multi and what each failure of it means: delete the command at the version read
 * and create or delete the served node. A multi that fails names the op that failed, and that op
 * tells a revoked command from a retry of a multi that went through, and a node of our own from an
 * earlier session's. Blocking; on the job's item thread.
 */
final class ItemCommit {
    private static final Logger LOG = LoggerFactory.getLogger(ItemCommit.class);

    private final ItemJobs agent;
    private final ItemJob job;
    private final ItemTransitions transitions;

    ItemCommit(ItemJobs agent, ItemJob job) {
        this.agent = agent;
        this.job = job;
        this.transitions = new ItemTransitions(agent.client(), agent.paths());
    }

    void load() throws Exception {
        boolean announce = !agent.announced().contains(job.id());
        try {
            send(
                    transitions.loaded(
                            agent.workerId(),
                            job.id(),
                            job.cmd.version(),
                            announce ? job.served() : null));
            agent.announced().add(job.id());
            LOG.debug("worker {} serves item {}", agent.workerId(), job.id());
        } catch (KeeperException e) {
            switch (failedOp(e)) {
                case ItemTransitions.COMMAND_OP -> {
                    // The command is gone. Either the leader took it away, or this is a retry of a
                    // multi that went through before the connection broke: the served node tells.
                    if (agent.announced().contains(job.id())
                            || agent.servedNodes().ownedByThisSession(job.id())) {
                        agent.announced().add(job.id());
                    } else {
                        LOG.info(
                                "worker {}: load of item {} was revoked; dropping it again",
                                agent.workerId(),
                                job.id());
                        job.undoLoad();
                    }
                }
                case ItemTransitions.SERVED_OP -> {
                    // A served node already exists: ours from before, or an earlier session's. Take
                    // it over.
                    agent.servedNodes().announce(job.id(), job.spec);
                    agent.announced().add(job.id());
                    send(transitions.loaded(agent.workerId(), job.id(), job.cmd.version(), null));
                }
                default -> throw e;
            }
        }
    }

    void drop() throws Exception {
        String served = agent.paths().servedItem(agent.workerId(), job.id());
        try {
            send(transitions.dropped(agent.workerId(), job.id(), job.cmd.version(), true));
        } catch (KeeperException e) {
            switch (failedOp(e)) {
                // the command is gone (or this is a retry): not held, so not served
                case ItemTransitions.COMMAND_OP -> deleteQuietly(served);
                case ItemTransitions.SERVED_OP ->
                        send(
                                transitions.dropped(
                                        agent.workerId(),
                                        job.id(),
                                        job.cmd.version(),
                                        false)); // nothing announced
                default -> throw e;
            }
        }
        agent.announced().remove(job.id());
    }

    private void deleteQuietly(String path) throws Exception {
        try {
            agent.client().delete().forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            // already
        }
    }

    void send(List<CuratorOp> ops) throws Exception {
        agent.client().transaction().forOperations(ops);
    }

    /**
     * Index of the op that failed in a multi (the command's deletion is op 0), or -1 if unknown.
     */
    static int failedOp(KeeperException e) {
        List<OpResult> results = e.getResults();
        if (results != null) {
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof OpResult.ErrorResult err
                        && err.getErr() != KeeperException.Code.OK.intValue()
                        && err.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                    return i;
                }
            }
        }
        return -1;
    }
}
