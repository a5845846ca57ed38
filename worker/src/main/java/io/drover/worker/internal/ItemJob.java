package io.drover.worker.internal;

import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.model.ServedItem;
import io.drover.protocol.ItemTransitions;
import io.drover.protocol.ZooKeeperCalls;
import io.drover.worker.Item;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LOAD or DROP command on an item thread: the handler call (bounded, retried with backoff),
 * then the commit multi: delete the command at the version read, create or delete the served node.
 * Or, with no command, announcing again an item held from an earlier session. The {@link ItemAgent}
 * runs at most one job per item.
 */
final class ItemJob {
    private static final Logger LOG = LoggerFactory.getLogger(ItemJob.class);
    private static final long COMMIT_RETRY_MS = 1_000;

    /**
     * Commits failing for reasons other than the connection are retried this often before the job
     * gives up.
     */
    private static final int MAX_COMMIT_FAILURES = 5;

    /** A command as read: its path, content and znode version. */
    record Cmd(String path, LoadCommand command, int version) {}

    private final ItemJobs agent;
    private final ItemTransitions transitions;

    /** Null for a re-announcement. */
    final Cmd cmd;

    final Item item;
    final ItemSpec spec;
    private final ItemCommit commits;
    volatile boolean revoked;
    private int attempts;
    private int commitFailures;
    private String lastError;

    ItemJob(ItemJobs agent, Cmd cmd) {
        this(agent, cmd, cmd.command().item(), cmd.command().epoch());
    }

    /** A job that announces an item the handler still holds, in a new session. */
    static ItemJob reannounce(ItemJobs agent, ItemSpec held) {
        return new ItemJob(agent, null, held, 0);
    }

    private ItemJob(ItemJobs agent, Cmd cmd, ItemSpec spec, long epoch) {
        this.agent = agent;
        this.transitions = new ItemTransitions(agent.client(), agent.paths());
        this.cmd = cmd;
        this.spec = spec;
        this.item = new Item(spec.id(), spec.spec(), spec.labels(), agent.workerId(), epoch);
        this.commits = new ItemCommit(agent, this);
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
        if (load
                ? !holdsThisDeclaration() && !call(true)
                : agent.loaded().containsKey(id()) && !call(false)) {
            return; // retry scheduled, or given up and reported
        }
        commit(load);
    }

    /**
     * The handler holds this very declaration (an item deleted and declared again is loaded anew).
     */
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
            lastError =
                    (load ? "load" : "drop")
                            + " of "
                            + id()
                            + " timed out after "
                            + agent.settings().timeout().toMillis()
                            + " ms";
        } catch (Exception e) {
            lastError = e.toString();
        }
        long backoff =
                ItemAgentMachine.retryDelayMs(
                        attempts,
                        agent.settings().maxAttempts(),
                        load && revoked,
                        agent.settings().retryBackoff().toMillis());
        if (backoff >= 0) {
            LOG.warn(
                    "worker {}: {} of item {} failed (attempt {} of {}): {}; retrying in {} ms",
                    agent.workerId(),
                    load ? "load" : "drop",
                    id(),
                    attempts,
                    agent.settings().maxAttempts(),
                    lastError,
                    backoff);
            agent.schedule(this::run, backoff);
            return false;
        }
        if (load) {
            LOG.error(
                    "worker {} gives up loading item {} after {} attempts: {}; the leader tries another worker",
                    agent.workerId(),
                    id(),
                    attempts,
                    lastError);
            reportFailure();
            agent.finish(this);
            return false;
        }
        // A drop that keeps failing still unannounces: the worker must not count as a replica.
        LOG.error(
                "worker {} could not drop item {} after {} attempts ({}); unannouncing it anyway",
                agent.workerId(),
                id(),
                attempts,
                lastError);
        agent.loaded().remove(id());
        return true;
    }

    private void commit(boolean load) {
        try {
            if (load) {
                commits.load();
            } else {
                commits.drop();
            }
            agent.finish(this);
        } catch (Exception e) {
            if (agent.isClosed()) {
                agent.finish(this); // closing interrupts commits in flight: nothing to report
                return;
            }
            boolean connection =
                    e instanceof KeeperException && ZooKeeperCalls.isConnectionProblem(e);
            if (connection || ++commitFailures < MAX_COMMIT_FAILURES) {
                LOG.info(
                        "worker {}: commit of {} of item {} failed ({}); trying again",
                        agent.workerId(),
                        cmd.command().action(),
                        id(),
                        e.toString());
                agent.schedule(() -> commit(load), COMMIT_RETRY_MS);
                return;
            }
            LOG.error(
                    "worker {}: cannot commit {} of item {}: {}; giving up",
                    agent.workerId(),
                    cmd.command().action(),
                    id(),
                    e.toString());
            if (load) {
                lastError = "commit failed: " + e;
                reportFailure();
                undoLoad();
            }
            agent.finish(this);
        }
    }

    void undoLoad() {
        try {
            agent.handlerCall().call(item, false);
        } catch (Exception e) {
            LOG.warn(
                    "worker {}: dropping item {} again failed: {}",
                    agent.workerId(),
                    id(),
                    e.toString());
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
            LOG.info(
                    "worker {} announced item {} again in its new session", agent.workerId(), id());
        } catch (Exception e) {
            // Not held as far as the cluster knows, so not held at all: the leader loads it
            // elsewhere.
            LOG.warn(
                    "worker {} could not announce item {} again ({}); dropping it",
                    agent.workerId(),
                    id(),
                    e.toString());
            undoLoad();
        }
    }

    ServedItem served() {
        return new ServedItem(
                ServedItem.FORMAT_VERSION,
                agent.workerId(),
                id(),
                System.currentTimeMillis(),
                item.epoch(),
                spec.createdAtMs());
    }

    /** Tells the leader this worker gave up, so it can try another one. */
    private void reportFailure() {
        try {
            commits.send(
                    transitions.failed(
                            agent.workerId(),
                            cmd.version(),
                            cmd.command().failed(cut(lastError), attempts)));
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException gone) {
            // revoked meanwhile: nobody waits for the answer
        } catch (Exception e) {
            LOG.warn(
                    "worker {} could not report the failed load of {}: {}",
                    agent.workerId(),
                    id(),
                    e.toString());
        }
    }

    private static String cut(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }
}
