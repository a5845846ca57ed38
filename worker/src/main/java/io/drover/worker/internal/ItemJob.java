package io.drover.worker.internal;

import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.model.ServedItem;
import io.drover.protocol.ItemTransitions;
import io.drover.worker.Item;
import java.util.List;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LOAD or DROP command on an item thread: the handler call (bounded, retried with backoff),
 * then the commit multi: delete the command at the version read, create or delete the served
 * node. Or, with no command, announcing again an item held from an earlier session. The
 * {@link ItemAgent} runs at most one job per item.
 */
final class ItemJob {
    private static final Logger LOG = LoggerFactory.getLogger(ItemJob.class);
    private static final long COMMIT_RETRY_MS = 1_000;
    /** Commits failing for reasons other than the connection are retried this often before the job gives up. */
    private static final int MAX_COMMIT_FAILURES = 5;

    /** A command as read: its path, content and znode version. */
    record Cmd(String path, LoadCommand command, int version) {}

    private final ItemAgent agent;
    private final ItemTransitions transitions;
    /** Null for a re-announcement. */
    final Cmd cmd;
    final Item item;
    private final ItemSpec spec;
    volatile boolean revoked;
    private int attempts;
    private int commitFailures;
    private String lastError;

    ItemJob(ItemAgent agent, Cmd cmd) {
        this(agent, cmd, cmd.command().item(), cmd.command().epoch());
    }

    /** A job that announces an item the handler still holds, in a new session. */
    static ItemJob reannounce(ItemAgent agent, ItemSpec held) {
        return new ItemJob(agent, null, held, 0);
    }

    private ItemJob(ItemAgent agent, Cmd cmd, ItemSpec spec, long epoch) {
        this.agent = agent;
        this.transitions = new ItemTransitions(agent.client(), agent.paths());
        this.cmd = cmd;
        this.spec = spec;
        this.item = new Item(spec.id(), spec.spec(), spec.labels(), agent.workerId(), epoch);
    }

    String id() {
        return item.id();
    }

    void run() {
        if (agent.isClosed()) {
            return;
        }
        if (cmd == null) {
            reannounce();
            agent.finish(this);
            return;
        }
        boolean load = cmd.command().action() == LoadCommand.Action.LOAD;
        if (load ? !holdsThisDeclaration() && !call(true) : agent.loaded().containsKey(id()) && !call(false)) {
            return; // retry scheduled, or given up and reported
        }
        commit(load);
    }

    /** The handler holds this very declaration (an item deleted and declared again is loaded anew). */
    private boolean holdsThisDeclaration() {
        ItemSpec held = agent.loaded().get(id());
        return held != null && held.createdAtMs() == spec.createdAtMs() && held.sameSpec(spec);
    }

    /** One handler call; false if it failed and the job was rescheduled or ended. */
    private boolean call(boolean load) {
        if (load && revoked) {
            agent.finish(this);
            return false;
        }
        attempts++;
        try {
            agent.handlerCall().call(item, load);
            if (load) {
                agent.loaded().put(id(), spec);
            } else {
                agent.loaded().remove(id());
            }
            return true;
        } catch (InterruptedException e) {
            if (agent.isClosed()) {
                Thread.currentThread().interrupt();
                return false;
            }
            lastError = (load ? "load" : "drop") + " of " + id() + " timed out after " + agent.settings().timeout().toMillis() + " ms";
        } catch (Exception e) {
            lastError = e.toString();
        }
        if (attempts < agent.settings().maxAttempts() && !(load && revoked)) {
            long backoff = agent.settings().retryBackoff().toMillis() << Math.min(attempts - 1, 20);
            LOG.warn("worker {}: {} of item {} failed (attempt {} of {}): {}; retrying in {} ms", agent.workerId(), load ? "load" : "drop",
                    id(), attempts, agent.settings().maxAttempts(), lastError, backoff);
            agent.schedule(this::run, backoff);
            return false;
        }
        if (load) {
            LOG.error("worker {} gives up loading item {} after {} attempts: {}; the leader tries another worker", agent.workerId(), id(),
                    attempts, lastError);
            reportFailure();
            agent.finish(this);
            return false;
        }
        // A drop that keeps failing still unannounces: the worker must not count as a replica.
        LOG.error("worker {} could not drop item {} after {} attempts ({}); unannouncing it anyway", agent.workerId(), id(), attempts,
                lastError);
        agent.loaded().remove(id());
        return true;
    }

    private void commit(boolean load) {
        try {
            if (load) {
                commitLoad();
            } else {
                commitDrop();
            }
            agent.finish(this);
        } catch (Exception e) {
            if (agent.isClosed()) {
                agent.finish(this); // closing interrupts commits in flight: nothing to report
                return;
            }
            boolean connection = e instanceof KeeperException ke && isConnectionProblem(ke);
            if (connection || ++commitFailures < MAX_COMMIT_FAILURES) {
                LOG.info("worker {}: commit of {} of item {} failed ({}); trying again", agent.workerId(), cmd.command().action(), id(),
                        e.toString());
                agent.schedule(() -> commit(load), COMMIT_RETRY_MS);
                return;
            }
            LOG.error("worker {}: cannot commit {} of item {}: {}; giving up", agent.workerId(), cmd.command().action(), id(), e.toString());
            if (load) {
                lastError = "commit failed: " + e;
                reportFailure();
                undoLoad();
            }
            agent.finish(this);
        }
    }

    private void commitLoad() throws Exception {
        boolean announce = !agent.announced().contains(id());
        try {
            send(transitions.loaded(agent.workerId(), id(), cmd.version(), announce ? served() : null));
            agent.announced().add(id());
            LOG.debug("worker {} serves item {}", agent.workerId(), id());
        } catch (KeeperException e) {
            switch (failedOp(e)) {
                case ItemTransitions.COMMAND_OP -> {
                    // The command is gone. Either the leader took it away, or this is a retry of a
                    // multi that went through before the connection broke: the served node tells.
                    if (agent.announced().contains(id()) || agent.servedNodes().ownedByThisSession(id())) {
                        agent.announced().add(id());
                    } else {
                        LOG.info("worker {}: load of item {} was revoked; dropping it again", agent.workerId(), id());
                        undoLoad();
                    }
                }
                case ItemTransitions.SERVED_OP -> {
                    // A served node already exists: ours from before, or an earlier session's. Take it over.
                    agent.servedNodes().announce(id(), spec);
                    agent.announced().add(id());
                    send(transitions.loaded(agent.workerId(), id(), cmd.version(), null));
                }
                default -> throw e;
            }
        }
    }

    private void commitDrop() throws Exception {
        String served = agent.paths().servedItem(agent.workerId(), id());
        try {
            send(transitions.dropped(agent.workerId(), id(), cmd.version(), true));
        } catch (KeeperException e) {
            switch (failedOp(e)) {
                case ItemTransitions.COMMAND_OP -> deleteQuietly(served); // the command is gone (or this is a retry): not held, so not served
                case ItemTransitions.SERVED_OP -> send(transitions.dropped(agent.workerId(), id(), cmd.version(), false)); // nothing announced
                default -> throw e;
            }
        }
        agent.announced().remove(id());
    }

    private void deleteQuietly(String path) throws Exception {
        try {
            agent.client().delete().forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            // already
        }
    }

    private void send(List<CuratorOp> ops) throws Exception {
        agent.client().transaction().forOperations(ops);
    }

    private void undoLoad() {
        try {
            agent.handlerCall().call(item, false);
        } catch (Exception e) {
            LOG.warn("worker {}: dropping item {} again failed: {}", agent.workerId(), id(), e.toString());
        } finally {
            agent.loaded().remove(id());
        }
    }

    private void reannounce() {
        if (!agent.loaded().containsKey(id()) || agent.announced().contains(id())) {
            return; // dropped or announced by a command meanwhile
        }
        try {
            agent.servedNodes().announce(id(), spec);
            agent.announced().add(id());
            LOG.info("worker {} announced item {} again in its new session", agent.workerId(), id());
        } catch (Exception e) {
            // Not held as far as the cluster knows, so not held at all: the leader loads it elsewhere.
            LOG.warn("worker {} could not announce item {} again ({}); dropping it", agent.workerId(), id(), e.toString());
            undoLoad();
        }
    }

    private ServedItem served() {
        return new ServedItem(ServedItem.FORMAT_VERSION, agent.workerId(), id(), System.currentTimeMillis(), item.epoch(), spec.createdAtMs());
    }

    /** Tells the leader this worker gave up, so it can try another one. */
    private void reportFailure() {
        try {
            send(transitions.failed(agent.workerId(), cmd.version(), cmd.command().failed(cut(lastError), attempts)));
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException gone) {
            // revoked meanwhile: nobody waits for the answer
        } catch (Exception e) {
            LOG.warn("worker {} could not report the failed load of {}: {}", agent.workerId(), id(), e.toString());
        }
    }

    /** Index of the op that failed in a multi (the command's deletion is op 0), or -1 if unknown. */
    private static int failedOp(KeeperException e) {
        List<OpResult> results = e.getResults();
        if (results != null) {
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof OpResult.ErrorResult err && err.getErr() != KeeperException.Code.OK.intValue()
                        && err.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean isConnectionProblem(KeeperException e) {
        return switch (e.code()) {
            case CONNECTIONLOSS, SESSIONEXPIRED, SESSIONMOVED, OPERATIONTIMEOUT -> true;
            default -> false;
        };
    }

    private static String cut(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }
}
