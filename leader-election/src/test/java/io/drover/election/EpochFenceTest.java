package io.drover.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.testkit.ZooKeeperServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EpochFenceTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private final List<LeaderElection> elections = new ArrayList<>();
    private String latch;
    private String epoch;

    /** Records terms as a listener sees them. */
    static final class Terms implements LeadershipListener {
        final List<LeadershipTerm> started = new CopyOnWriteArrayList<>();
        final List<String> endReasons = new CopyOnWriteArrayList<>();

        @Override
        public void termStarted(LeadershipTerm term) {
            started.add(term);
        }

        @Override
        public void termEnded(LeadershipTerm term, String reason) {
            endReasons.add(reason);
        }

        LeadershipTerm awaitTerm(int n) {
            await().atMost(Duration.ofSeconds(20)).until(() -> started.size() >= n);
            return started.get(n - 1);
        }
    }

    @BeforeEach
    void setUp() {
        String root = "/" + ZK.uniqueCluster();
        latch = root + "/leader/latch";
        epoch = root + "/leader/epoch";
    }

    @AfterEach
    void tearDown() {
        elections.forEach(LeaderElection::close);
    }

    private LeaderElection elect(CuratorFramework client, String id, Terms terms) {
        LeaderElection e = LeaderElection.create(client, latch, epoch, id, terms);
        elections.add(e);
        e.start();
        return e;
    }

    @Test
    void leaderCloses_standbyTakesOver_withAHigherEpoch() {
        Terms a = new Terms();
        Terms b = new Terms();
        LeaderElection first = elect(ZK.newClient(), "a", a);
        LeadershipTerm termA = a.awaitTerm(1);
        elect(ZK.newClient(), "b", b);

        first.close();
        LeadershipTerm termB = b.awaitTerm(1);

        assertThat(termA.isActive()).isFalse();
        assertThat(a.endReasons).containsExactly("election closed");
        assertThat(termB.epoch()).isGreaterThan(termA.epoch());
        assertThat(termB.isActive()).isTrue();
    }

    @Test
    void deposedLeadersWrite_isRejectedByZooKeeperItself() throws Exception {
        Terms a = new Terms();
        Terms b = new Terms();
        CuratorFramework clientA = ZK.newClient();
        LeaderElection first = elect(clientA, "a", a);
        LeadershipTerm oldTerm = a.awaitTerm(1);
        elect(ZK.newClient(), "b", b);
        first.close();
        LeadershipTerm newTerm = b.awaitTerm(1);

        // The old leader's fenced multi, sent straight to ZooKeeper without any client-side check:
        assertThatThrownBy(
                        () ->
                                clientA.transaction()
                                        .forOperations(
                                                oldTerm.fenceOp(),
                                                clientA.transactionOp()
                                                        .create()
                                                        .forPath(epoch + "-stale-write")))
                .isInstanceOf(KeeperException.BadVersionException.class);
        assertThat(clientA.checkExists().forPath(epoch + "-stale-write")).isNull();
        // while the new leader's write goes through
        newTerm.commit(List.of(clientA.transactionOp().create().forPath(epoch + "-fresh-write")))
                .get(10, TimeUnit.SECONDS);
        assertThat(clientA.checkExists().forPath(epoch + "-fresh-write")).isNotNull();
    }

    @Test
    void twoLeadersAtOnce_theOlderTermsCommitFails_endsItsTerm_andItRejoins() throws Exception {
        Terms a = new Terms();
        CuratorFramework client = ZK.newClient();
        elect(client, "a", a);
        LeadershipTerm term = a.awaitTerm(1);
        // Another coordinator that wrongly believes it leads (CURATOR-696) bumps the epoch.
        client.setData().forPath(epoch, "{\"leader\":\"impostor\"}".getBytes());

        CompletableFuture<?> write =
                term.commit(
                        List.of(client.transactionOp().create().forPath(epoch + "-by-old-term")));

        assertThatThrownBy(() -> write.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(io.drover.model.FenceLostException.class);
        assertThat(client.checkExists().forPath(epoch + "-by-old-term")).isNull();
        assertThat(term.ended().get(10, TimeUnit.SECONDS)).startsWith("fenced out");
        LeadershipTerm next = a.awaitTerm(2);
        assertThat(next.epoch()).isGreaterThan(term.epoch() + 1);
    }

    @Test
    void connectionLossWithinTheSession_endsTheTerm_reconnectStartsANewOneWithAHigherEpoch()
            throws Exception {
        Terms a = new Terms();
        CuratorFramework client =
                ZK.newClient(30_000); // long enough that the session survives the restart
        elect(client, "a", a);
        LeadershipTerm term = a.awaitTerm(1);
        long session = client.getZookeeperClient().getZooKeeper().getSessionId();
        assertThat(client.getZookeeperClient().getZooKeeper().getSessionTimeout())
                .as("negotiated session timeout")
                .isEqualTo(30_000);

        ZK.server().restart();

        assertThat(term.ended().get(20, TimeUnit.SECONDS))
                .isIn("connection suspended", "latch lost");
        LeadershipTerm next = a.awaitTerm(2);
        assertThat(next.epoch()).isGreaterThan(term.epoch());
        assertThat(next.isActive()).isTrue();
        assertThat(client.getZookeeperClient().getZooKeeper().getSessionId())
                .as("same session: RECONNECTED, not LOST")
                .isEqualTo(session);
    }
}
