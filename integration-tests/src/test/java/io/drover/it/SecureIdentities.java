package io.drover.it;

import io.drover.cli.ClusterIdentities;
import io.drover.protocol.ZooKeeperClients;
import io.drover.protocol.ZooKeeperSecurity;
import io.drover.protocol.acl.AclPolicy;
import io.drover.protocol.acl.AclSweep;
import io.drover.testkit.ZooKeeperServerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;

/**
 * Digest identities for the ACL tests ({@link ClusterIdentities}: a credentials file per role and
 * per worker, and the policy naming them), applied with the admin identity, and sessions that hold
 * any of them. Closes its sessions.
 */
public final class SecureIdentities implements AutoCloseable {
    private final String connectString;
    private final ClusterIdentities ids;
    private final List<CuratorFramework> sessions = new ArrayList<>();

    public SecureIdentities(String connectString, Path dir, List<String> workerIds) {
        this.connectString = connectString;
        try {
            this.ids = ClusterIdentities.create(dir, workerIds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file(String user) {
        return ids.file(user);
    }

    public AclPolicy policy() {
        return ids.policy();
    }

    /** Stores the policy and brings every node in line, as {@code drover acl apply} does. */
    public List<AclSweep.Mismatch> apply(String cluster) throws Exception {
        return ids.apply(connectString, cluster, ZooKeeperSecurity.none());
    }

    /** A started session holding these identities (none: an anonymous session). */
    public CuratorFramework session(String... users) {
        return session(Duration.ofMillis(ZooKeeperServerExtension.SESSION_TIMEOUT_MS), users);
    }

    /** The same, with another session timeout. */
    public CuratorFramework session(Duration sessionTimeout, String... users) {
        CuratorFramework c =
                ZooKeeperClients.newClient(
                        connectString,
                        sessionTimeout,
                        Duration.ofSeconds(5),
                        ids.security(ZooKeeperSecurity.none(), users));
        sessions.add(c);
        return ZooKeeperClients.startAndConnect(c, connectString);
    }

    /** A worker's session: the worker role and its own identity. */
    public CuratorFramework workerSession(String workerId) {
        return session("worker", workerId);
    }

    @Override
    public void close() {
        sessions.forEach(CuratorFramework::close);
    }
}
