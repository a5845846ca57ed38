package io.drover.it;

import io.drover.model.DroverPaths;
import io.drover.protocol.ZooKeeperClients;
import io.drover.protocol.ZooKeeperSecurity;
import io.drover.protocol.acl.AclPolicy;
import io.drover.protocol.acl.AclSweep;
import io.drover.testkit.ZooKeeperServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;

/**
 * Digest identities for the ACL tests: a credentials file per role and per worker, the policy that
 * names them, applied with the admin identity, and sessions that hold them. Closes its sessions.
 */
public final class SecureIdentities implements AutoCloseable {
    static final List<String> ROLES = List.of("admin", "coordinator", "client", "worker");

    private final String connectString;
    private final Path dir;
    private final Map<String, Path> files = new LinkedHashMap<>();
    private final List<CuratorFramework> sessions = new ArrayList<>();

    public SecureIdentities(String connectString, Path dir, List<String> workerIds) {
        this.connectString = connectString;
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String role : ROLES) {
            credentials(role);
        }
        workerIds.forEach(this::credentials);
    }

    private void credentials(String user) {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        Path f = dir.resolve(user + ".cred");
        try {
            Files.writeString(f, user + ":" + HexFormat.of().formatHex(secret) + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        files.put(user, f);
    }

    public Path file(String user) {
        return files.get(user);
    }

    public AclPolicy policy(List<String> workerIds) {
        Map<String, List<String>> workers = new LinkedHashMap<>();
        workerIds.forEach(
                w -> workers.put(w, List.of(ZooKeeperSecurity.digestAclId(files.get(w)))));
        return new AclPolicy(
                AclPolicy.FORMAT,
                List.of(ZooKeeperSecurity.digestAclId(files.get("admin"))),
                List.of(ZooKeeperSecurity.digestAclId(files.get("coordinator"))),
                List.of(ZooKeeperSecurity.digestAclId(files.get("client"))),
                List.of(ZooKeeperSecurity.digestAclId(files.get("worker"))),
                workers);
    }

    /** Stores the policy and brings every node in line, as {@code drover acl apply} does. */
    public List<AclSweep.Mismatch> apply(String cluster, AclPolicy policy) throws Exception {
        return AclSweep.apply(session("admin"), new DroverPaths(cluster), policy);
    }

    /** A started session holding these identities (none: an anonymous session). */
    public CuratorFramework session(String... users) {
        return session(Duration.ofMillis(ZooKeeperServerExtension.SESSION_TIMEOUT_MS), users);
    }

    /** The same, with another session timeout. */
    public CuratorFramework session(Duration sessionTimeout, String... users) {
        ZooKeeperSecurity s = ZooKeeperSecurity.none();
        for (String u : users) {
            s = s.withDigestFile(files.get(u));
        }
        CuratorFramework c =
                ZooKeeperClients.newClient(connectString, sessionTimeout, Duration.ofSeconds(5), s);
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
