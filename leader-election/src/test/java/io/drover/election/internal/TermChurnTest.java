package io.drover.election.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.election.LeaderElection;
import io.drover.election.LeadershipListener;
import io.drover.election.LeadershipTerm;
import io.drover.testkit.ZooKeeperServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A leader whose every term fails at once (a view it cannot build) must not churn through epochs:
 * the first short term rejoins at once, later ones back off, doubling. Before, one bad znode cost
 * 1,060 epochs in 40 seconds.
 */
class TermChurnTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    @Test
    void rejoinDelay_isZeroOnce_thenDoublesTo30Seconds() {
        assertThat(EpochLeaderElection.rejoinDelayMs(1)).isZero();
        assertThat(EpochLeaderElection.rejoinDelayMs(2)).isEqualTo(250);
        assertThat(EpochLeaderElection.rejoinDelayMs(3)).isEqualTo(500);
        assertThat(EpochLeaderElection.rejoinDelayMs(8)).isEqualTo(16_000);
        assertThat(EpochLeaderElection.rejoinDelayMs(9)).isEqualTo(30_000);
        assertThat(EpochLeaderElection.rejoinDelayMs(1_000)).isEqualTo(30_000);
    }

    @Test
    void everyTermFailsAtOnce_rejoinsBackOff_epochsDoNotChurn() {
        String root = "/" + ZK.uniqueCluster();
        List<Long> startedAtMs = new CopyOnWriteArrayList<>();
        LeadershipListener failing =
                new LeadershipListener() {
                    @Override
                    public void termStarted(LeadershipTerm term) {
                        startedAtMs.add(System.currentTimeMillis());
                        term.fenceLost(new IllegalStateException("cannot rebuild the view"));
                    }

                    @Override
                    public void termEnded(LeadershipTerm term, String reason) {}
                };
        try (LeaderElection e =
                LeaderElection.create(
                        ZK.newClient(), root + "/latch", root + "/epoch", "c1", failing)) {
            e.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> startedAtMs.size() >= 4);

            // terms 1 and 2 come back to back; then at least 250 ms, then at least 500 ms
            assertThat(startedAtMs.get(2) - startedAtMs.get(1)).isGreaterThanOrEqualTo(250);
            assertThat(startedAtMs.get(3) - startedAtMs.get(2)).isGreaterThanOrEqualTo(500);
        }
    }
}
