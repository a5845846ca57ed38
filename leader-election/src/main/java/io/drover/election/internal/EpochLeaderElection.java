package io.drover.election.internal;

import io.drover.election.LeaderElection;
import io.drover.election.LeadershipListener;
import io.drover.election.LeadershipTerm;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LeaderElection} on Curator's LeaderLatch. Every decision runs on one named thread, so
 * latch callbacks, connection states and fence losses are handled in order, one at a time.
 */
public final class EpochLeaderElection implements LeaderElection {
    private static final Logger LOG = LoggerFactory.getLogger(EpochLeaderElection.class);

    private enum State {
        LATENT,
        STARTED,
        CLOSED
    }

    private final CuratorFramework client;
    private final String latchPath;
    private final String epochPath;
    private final String participantId;
    private final LeadershipListener listener;
    private final ScheduledExecutorService executor;
    private final EpochBumper epochs;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final ConnectionStateListener connectionListener =
            (c, newState) -> onConnectionState(newState);
    private volatile LeaderLatch latch;
    private volatile Term term;

    /**
     * Election thread only: when the current term began, and how many short terms ended in a row.
     */
    private final RejoinBackoff backoff = new RejoinBackoff();

    public EpochLeaderElection(
            CuratorFramework client,
            String latchPath,
            String epochPath,
            String participantId,
            LeadershipListener listener) {
        this.client = client;
        this.latchPath = latchPath;
        this.epochPath = epochPath;
        this.participantId = participantId;
        this.listener = listener;
        this.epochs = new EpochBumper(client, epochPath, participantId);
        ScheduledThreadPoolExecutor pool =
                new ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, "drover-election-" + participantId);
                            t.setDaemon(true);
                            return t;
                        });
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(
                false); // a pending rejoin dies with the election
        this.executor = pool;
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("election already started or closed");
        }
        client.getConnectionStateListenable().addListener(connectionListener, executor);
        executor.execute(this::joinLatch);
    }

    @Override
    public Optional<LeadershipTerm> currentTerm() {
        Term t = term;
        return t != null && t.isActive() ? Optional.of(t) : Optional.empty();
    }

    @Override
    public String participantId() {
        return participantId;
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) != State.STARTED) {
            return;
        }
        client.getConnectionStateListenable().removeListener(connectionListener);
        executor.execute(
                () -> {
                    endTerm("election closed");
                    leaveLatch();
                });
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("election thread of {} did not stop within 10 s", participantId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One place for every connection state: SUSPENDED stop acting, LOST out, RECONNECTED let the
     * latch re-verify.
     */
    private void onConnectionState(ConnectionState newState) {
        switch (newState) {
            case SUSPENDED -> endTerm("connection suspended");
            case LOST -> endTerm("session lost");
            case RECONNECTED -> {
                LOG.info("{} reconnected; re-checking leadership", participantId);
                // The latch re-checks and calls isLeader() if leadership came back; a client whose
                // error
                // policy keeps latch leadership across SUSPENDED gets no such call, so look here
                // too.
                LeaderLatch l = latch;
                if (l != null && l.hasLeadership()) {
                    beginTerm(l);
                }
            }
            case CONNECTED, READ_ONLY -> {}
        }
    }

    private void joinLatch() {
        if (state.get() != State.STARTED) {
            return;
        }
        LeaderLatch l =
                new LeaderLatch(client, latchPath, participantId, LeaderLatch.CloseMode.SILENT);
        l.addListener(
                new LeaderLatchListener() {
                    @Override
                    public void isLeader() {
                        beginTerm(l);
                    }

                    @Override
                    public void notLeader() {
                        endTerm("latch lost");
                    }
                },
                executor);
        latch = l;
        try {
            l.start();
        } catch (Exception e) {
            LOG.error("{} could not join the election at {}", participantId, latchPath, e);
        }
    }

    private void leaveLatch() {
        LeaderLatch l = latch;
        latch = null;
        if (l != null) {
            try {
                l.close();
            } catch (Exception e) {
                LOG.debug("closing latch of {}", participantId, e);
            }
        }
    }

    private void beginTerm(LeaderLatch from) {
        if (state.get() != State.STARTED
                || from != latch
                || !from.hasLeadership()
                || currentTerm().isPresent()) {
            return;
        }
        try {
            long epoch = epochs.bump();
            if (!from.hasLeadership() || from != latch) {
                return; // lost the latch while bumping; the bump only fences out older terms
            }
            Term t = new Term(client, epochPath, epoch, this::onFenceLost);
            term = t;
            backoff.termStarted();
            LOG.info("{} leads with epoch {}", participantId, epoch);
            try {
                listener.termStarted(t);
            } catch (RuntimeException e) {
                LOG.error("{} could not start term {}; yielding", participantId, epoch, e);
                endTerm("term start failed: " + e);
                leaveLatch();
                rejoinLater(true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Without a bumped epoch we must not lead; rejoin so that leadership is decided afresh.
            LOG.warn(
                    "{} won the latch but could not bump the epoch: {}; rejoining",
                    participantId,
                    e.toString());
            leaveLatch();
            rejoinLater(true);
        }
    }

    /** Joins the latch again, at once or after a delay: see {@link RejoinBackoff}. */
    private void rejoinLater(boolean shortTerm) {
        long delay = backoff.nextDelayMs(shortTerm);
        if (delay == 0) {
            joinLatch();
            return;
        }
        LOG.warn(
                "{} rejoins the election in {} ms ({} short terms in a row)",
                participantId,
                delay,
                backoff.shortTermsInARow());
        try {
            executor.schedule(this::joinLatch, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    /**
     * 0 for the first short term, then 250 ms doubling to 30 s. Stays here: tests pin the
     * election's schedule.
     */
    static long rejoinDelayMs(int shortTermsInARow) {
        return RejoinBackoff.delayMs(shortTermsInARow);
    }

    private void endTerm(String reason) {
        Term t = term;
        if (t != null && t.end(reason)) {
            backoff.termEnded();
            LOG.info("{} ends term {}: {}", participantId, t.epoch(), reason);
            try {
                listener.termEnded(t, reason);
            } catch (RuntimeException e) {
                LOG.error("leadership listener failed at the end of term {}", t.epoch(), e);
            }
        }
    }

    private void onFenceLost(Term t, Throwable cause) {
        if (state.get() != State.STARTED) {
            return; // close() ends the term through endTerm, so the listener hears of it
        }
        executor.execute(
                () -> {
                    if (term != t || !t.isActive()) {
                        return;
                    }
                    boolean shortTerm = backoff.termIsShort();
                    endTerm("fenced out or failed (" + cause + ")");
                    // The latch may still think we lead; rejoining lets the real leader's position
                    // count.
                    leaveLatch();
                    rejoinLater(shortTerm);
                });
    }
}
