package io.drover.election;

import io.drover.election.internal.EpochLeaderElection;
import java.io.Closeable;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/**
 * Leader election with an epoch fence: Curator's {@code LeaderLatch} picks the leader; the winner
 * bumps the epoch znode with a versioned {@code setData} and receives a {@link LeadershipTerm}.
 * Connection SUSPENDED or LOST ends the term at once (stop writing); after RECONNECTED the latch
 * re-checks and a leader that is still first starts a new term with a new epoch.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} idempotent. Closing ends the term and
 * leaves the latch at once, so a standby takes over without waiting for a session timeout.
 */
public interface LeaderElection extends Closeable {
    static LeaderElection create(
            CuratorFramework client,
            String latchPath,
            String epochPath,
            String participantId,
            LeadershipListener listener) {
        return new EpochLeaderElection(client, latchPath, epochPath, participantId, listener);
    }

    void start();

    /** The active term, if this participant leads now. */
    Optional<LeadershipTerm> currentTerm();

    String participantId();

    @Override
    void close();
}
