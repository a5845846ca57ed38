package io.drover.cli;

import io.drover.model.DroverPaths;
import io.drover.protocol.ZooKeeperClients;
import io.drover.protocol.ZooKeeperSecurity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Option;

/** Options of the commands that talk to ZooKeeper directly: where, which cluster, as whom. */
final class ZooKeeperOptions {
    @Option(
            names = "--zk",
            description = "ZooKeeper connect string (env DROVER_ZK, default ${DEFAULT-VALUE}).",
            defaultValue = "${env:DROVER_ZK:-127.0.0.1:2181}")
    String zk;

    @Option(
            names = "--cluster",
            description = "Cluster name (default ${DEFAULT-VALUE}).",
            defaultValue = "default")
    String cluster;

    @Option(
            names = "--zk-credentials",
            description =
                    "A file of digest credentials (user:password) to present to ZooKeeper;"
                            + " repeatable (env DROVER_ZK_CREDENTIALS: files separated by ':').")
    List<Path> credentials = new ArrayList<>();

    @Option(
            names = "--zk-tls-keystore",
            description =
                    "Connect to ZooKeeper's secure port with this key store (PKCS12 or .jks); needs"
                            + " --zk-tls-truststore and --zk-tls-password-file.")
    Path tlsKeyStore;

    @Option(
            names = "--zk-tls-truststore",
            description = "The CAs to trust ZooKeeper's certificate from.")
    Path tlsTrustStore;

    @Option(names = "--zk-tls-password-file", description = "The stores' password, in a file.")
    Path tlsPasswordFile;

    DroverPaths paths() {
        return new DroverPaths(cluster);
    }

    /** A started session holding the credentials given. Blocking; the caller closes it. */
    CuratorFramework connect() {
        List<Path> files = new ArrayList<>(credentials);
        String env = System.getenv("DROVER_ZK_CREDENTIALS");
        if (files.isEmpty() && env != null && !env.isBlank()) {
            for (String f : env.split(":")) {
                files.add(Path.of(f));
            }
        }
        ZooKeeperSecurity security = ZooKeeperSecurity.none();
        for (Path f : files) {
            security = security.withDigestFile(f);
        }
        if (tlsKeyStore != null || tlsTrustStore != null || tlsPasswordFile != null) {
            if (tlsKeyStore == null || tlsTrustStore == null || tlsPasswordFile == null) {
                throw new IllegalArgumentException(
                        "--zk-tls-keystore, --zk-tls-truststore and --zk-tls-password-file go"
                                + " together");
            }
            security =
                    security.withTls(
                            io.drover.protocol.ZooKeeperTls.fromFiles(
                                    tlsKeyStore, tlsTrustStore, tlsPasswordFile));
        }
        return ZooKeeperClients.startAndConnect(
                ZooKeeperClients.newClient(
                        zk,
                        ZooKeeperClients.DEFAULT_SESSION_TIMEOUT,
                        ZooKeeperClients.DEFAULT_CONNECTION_TIMEOUT,
                        security),
                zk);
    }
}
