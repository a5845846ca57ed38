package io.drover.election.internal;

import io.drover.election.LeaderElection;
import io.drover.election.LeadershipListener;
import io.drover.election.LeadershipTerm;
import io.drover.model.DroverJson;
import io.drover.protocol.EpochInfo;
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
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LeaderElection} on Curator's LeaderLatch. Every decision runs on one named thread, so
 * latch callbacks, connection states and fence losses are handled in order, one at a time.
 */
public final class EpochLeaderElection implements LeaderElection {
    private static final Logger LOG = LoggerFactory.getLogger(EpochLeaderElection.class);
    private static final int MAX_EPOCH_BUMP_TRIES = 10;
    /** A term shorter than this that ended for a reason of its own (not a close) counts towards the rejoin backoff. */
    static final long HEALTHY_TERM_MS = 10_000;
    static final long FIRST_REJOIN_DELAY_MS = 250;
    static final long MAX_REJOIN_DELAY_MS = 30_000;

    private enum State { LATENT, STARTED, CLOSED }

    private final CuratorFramework client;
    private final String latchPath;
    private final String epochPath;
    private final String participantId;
    private final LeadershipListener listener;
    private final ScheduledExecutorService executor;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final ConnectionStateListener connectionListener = (c, newState) -> onConnectionState(newState);
    private volatile LeaderLatch latch;
    private volatile Term term;
    /** Election thread only: when the current term began, and how many short terms ended in a row. */
    private long termStartedAtMs;
    private int shortTermsInARow;

    public EpochLeaderElection(CuratorFramework client, String latchPath, String epochPath, String participantId,
                               LeadershipListener listener) {
        this.client = client;
        this.latchPath = latchPath;
        this.epochPath = epochPath;
        this.participantId = participantId;
        this.listener = listener;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "drover-election-" + participantId);
            t.setDaemon(true);
            return t;
        });
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a pending rejoin dies with the election
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
        executor.execute(() -> {
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

    /** One place for every connection state: SUSPENDED stop acting, LOST out, RECONNECTED let the latch re-verify. */
    private void onConnectionState(ConnectionState newState) {
        switch (newState) {
            case SUSPENDED -> endTerm("connection suspended");
            case LOST -> endTerm("session lost");
            case RECONNECTED -> {
                LOG.info("{} reconnected; re-checking leadership", participantId);
                // The latch re-checks and calls isLeader() if leadership came back; a client whose error
                // policy keeps latch leadership across SUSPENDED gets no such call, so look here too.
                LeaderLatch l = latch;
                if (l != null && l.hasLeadership()) {
                    beginTerm(l);
                }
            }
            case CONNECTED, READ_ONLY -> { }
        }
    }

    private void joinLatch() {
        if (state.get() != State.STARTED) {
            return;
        }
        LeaderLatch l = new LeaderLatch(client, latchPath, participantId, LeaderLatch.CloseMode.SILENT);
        l.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                beginTerm(l);
            }

            @Override
            public void notLeader() {
                endTerm("latch lost");
            }
        }, executor);
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
        if (state.get() != State.STARTED || from != latch || !from.hasLeadership() || currentTerm().isPresent()) {
            return;
        }
        try {
            long epoch = bumpEpoch();
            if (!from.hasLeadership() || from != latch) {
                return; // lost the latch while bumping; the bump only fences out older terms
            }
            Term t = new Term(client, epochPath, epoch, this::onFenceLost);
            term = t;
            termStartedAtMs = System.currentTimeMillis();
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
            LOG.warn("{} won the latch but could not bump the epoch: {}; rejoining", participantId, e.toString());
            leaveLatch();
            rejoinLater(true);
        }
    }

    private long bumpEpoch() throws Exception {
        byte[] data = DroverJson.encode(new EpochInfo(participantId, System.currentTimeMillis()));
        for (int i = 0; i < MAX_EPOCH_BUMP_TRIES; i++) {
            Stat stat = client.checkExists().creatingParentContainersIfNeeded().forPath(epochPath);
            if (stat == null) {
                try {
                    client.create().creatingParentsIfNeeded().forPath(epochPath, new byte[0]);
                } catch (KeeperException.NodeExistsException raced) {
                    // someone else created it; read it again
                }
                continue;
            }
            try {
                return client.setData().withVersion(stat.getVersion()).forPath(epochPath, data).getVersion();
            } catch (KeeperException.BadVersionException raced) {
                LOG.debug("epoch bump of {} raced; retrying", participantId);
            }
        }
        throw new IllegalStateException("epoch bump lost " + MAX_EPOCH_BUMP_TRIES + " races in a row");
    }

    /**
     * Joins the latch again, at once after a healthy term, else after a delay that doubles with each
     * short term in a row: a term that ends for a reason that will repeat (a view it cannot build)
     * must not turn into thousands of epochs a minute, and meanwhile a standby can take over.
     */
    private void rejoinLater(boolean shortTerm) {
        shortTermsInARow = shortTerm ? shortTermsInARow + 1 : 0;
        long delay = rejoinDelayMs(shortTermsInARow);
        if (delay == 0) {
            joinLatch();
            return;
        }
        LOG.warn("{} rejoins the election in {} ms ({} short terms in a row)", participantId, delay, shortTermsInARow);
        try {
            executor.schedule(this::joinLatch, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    /** 0 for the first short term, then 250 ms doubling to 30 s. */
    static long rejoinDelayMs(int shortTermsInARow) {
        if (shortTermsInARow <= 1) {
            return 0;
        }
        return Math.min(MAX_REJOIN_DELAY_MS, FIRST_REJOIN_DELAY_MS << Math.min(20, shortTermsInARow - 2));
    }

    private void endTerm(String reason) {
        Term t = term;
        if (t != null && t.end(reason)) {
            if (System.currentTimeMillis() - termStartedAtMs >= HEALTHY_TERM_MS) {
                shortTermsInARow = 0; // a healthy term, however it ended, wipes the slate
            }
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
        executor.execute(() -> {
            if (term != t || !t.isActive()) {
                return;
            }
            boolean shortTerm = System.currentTimeMillis() - termStartedAtMs < HEALTHY_TERM_MS;
            endTerm("fenced out or failed (" + cause + ")");
            // The latch may still think we lead; rejoining lets the real leader's position count.
            leaveLatch();
            rejoinLater(shortTerm);
        });
    }
}
