package io.drover.cli;

import io.drover.model.DroverPaths;
import io.drover.protocol.ZooKeeperClients;
import io.drover.protocol.ZooKeeperSecurity;
import io.drover.protocol.acl.AclPolicy;
import io.drover.protocol.acl.AclSweep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;

/**
 * Throwaway ZooKeeper identities for a whole cluster: a digest credentials file (owner-only) for
 * each role (admin, coordinator, client, worker) and each worker, and the ACL policy that names
 * them. For the bench's secure runs and the tests; production keeps its credentials where its
 * operators put them.
 */
public final class ClusterIdentities {
    public static final List<String> ROLES = List.of("admin", "coordinator", "client", "worker");

    private final Map<String, Path> files = new LinkedHashMap<>();
    private final List<String> workerIds;

    private ClusterIdentities(List<String> workerIds) {
        this.workerIds = List.copyOf(workerIds);
    }

    /** Writes the credentials into {@code dir} (created if needed). */
    public static ClusterIdentities create(Path dir, List<String> workerIds) throws IOException {
        Files.createDirectories(dir);
        ClusterIdentities ids = new ClusterIdentities(workerIds);
        List<String> users = new ArrayList<>(ROLES);
        users.addAll(workerIds);
        SecureRandom random = new SecureRandom();
        for (String user : users) {
            byte[] secret = new byte[16];
            random.nextBytes(secret);
            Path f = dir.resolve(user + ".cred");
            Files.deleteIfExists(f);
            Files.createFile(
                    f,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
            Files.writeString(f, user + ":" + HexFormat.of().formatHex(secret) + "\n");
            ids.files.put(user, f);
        }
        return ids;
    }

    /** Deletes the credentials files and their folder, if it is empty then. */
    public void delete() throws IOException {
        for (Path f : files.values()) {
            Files.deleteIfExists(f);
        }
        Path dir = files.values().iterator().next().getParent();
        try (var left = Files.list(dir)) {
            if (left.findAny().isEmpty()) {
                Files.delete(dir);
            }
        }
    }

    public Path file(String user) {
        return files.get(user);
    }

    /** The policy naming every role's and every worker's digest id. */
    public AclPolicy policy() {
        Map<String, List<String>> workers = new LinkedHashMap<>();
        workerIds.forEach(w -> workers.put(w, List.of(id(w))));
        return new AclPolicy(
                AclPolicy.FORMAT,
                List.of(id("admin")),
                List.of(id("coordinator")),
                List.of(id("client")),
                List.of(id("worker")),
                workers);
    }

    /** {@code base} (TLS or none) plus the credentials of {@code users}. */
    public ZooKeeperSecurity security(ZooKeeperSecurity base, String... users) {
        ZooKeeperSecurity s = base;
        for (String u : users) {
            s = s.withDigestFile(files.get(u));
        }
        return s;
    }

    /** Stores the policy and brings every node in line, as the admin. Blocking. */
    public List<AclSweep.Mismatch> apply(String connect, String cluster, ZooKeeperSecurity base)
            throws Exception {
        try (CuratorFramework admin =
                ZooKeeperClients.startAndConnect(
                        ZooKeeperClients.newClient(
                                connect,
                                ZooKeeperClients.DEFAULT_SESSION_TIMEOUT,
                                ZooKeeperClients.DEFAULT_CONNECTION_TIMEOUT,
                                security(base, "admin")),
                        connect)) {
            return AclSweep.apply(admin, new DroverPaths(cluster), policy());
        }
    }

    private String id(String user) {
        return ZooKeeperSecurity.digestAclId(files.get(user));
    }
}
