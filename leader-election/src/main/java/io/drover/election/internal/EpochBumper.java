package io.drover.election.internal;

import io.drover.model.DroverJson;
import io.drover.protocol.EpochInfo;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the epoch znode for {@link EpochLeaderElection}: each bump's new version is the next
 * term's epoch, and fences out every older term. Separate from the election's state machine because
 * it is the one place that talks ZooKeeper's compare-and-set protocol (create if absent, retry on a
 * lost race), which the election only needs as "a fresh epoch, or an exception".
 *
 * <p>Blocking; called on the election thread only.
 */
final class EpochBumper {
    /**
     * Under the election's name, as before this was split out, so that logging configuration still
     * applies.
     */
    private static final Logger LOG = LoggerFactory.getLogger(EpochLeaderElection.class);

    private static final int MAX_EPOCH_BUMP_TRIES = 10;

    private final CuratorFramework client;
    private final String epochPath;
    private final String participantId;

    EpochBumper(CuratorFramework client, String epochPath, String participantId) {
        this.client = client;
        this.epochPath = epochPath;
        this.participantId = participantId;
    }

    /** The new epoch; throws if the marker cannot be written or too many bumps race. */
    long bump() throws Exception {
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
                return client.setData()
                        .withVersion(stat.getVersion())
                        .forPath(epochPath, data)
                        .getVersion();
            } catch (KeeperException.BadVersionException raced) {
                LOG.debug("epoch bump of {} raced; retrying", participantId);
            }
        }
        throw new IllegalStateException(
                "epoch bump lost " + MAX_EPOCH_BUMP_TRIES + " races in a row");
    }
}
