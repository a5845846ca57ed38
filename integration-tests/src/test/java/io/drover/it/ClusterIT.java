package io.drover.it;

import io.drover.testkit.ZooKeeperServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of the in-JVM cluster tests: one real ZooKeeper server per test class, a fresh cluster per
 * test.
 */
abstract class ClusterIT {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    protected final ClusterHarness cluster = new ClusterHarness(ZK);

    @AfterEach
    final void closeCluster() {
        cluster.close();
    }
}
