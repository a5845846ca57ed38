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

    @picocli.CommandLine.Mixin ZooKeeperTlsOptions tls = new ZooKeeperTlsOptions();

    DroverPaths paths() {
        return new DroverPaths(cluster);
    }

    /**
     * As {@link #connect()}, for a command about an existing cluster: fails with an error that
     * names it when there is no such cluster at that ZooKeeper.
     */
    CuratorFramework connectToCluster() throws Exception {
        CuratorFramework client = connect();
        if (client.checkExists().forPath(paths().root()) == null) {
            client.close();
            throw new IllegalArgumentException(
                    "there is no cluster "
                            + cluster
                            + " at "
                            + zk
                            + " (no "
                            + paths().root()
                            + ")");
        }
        return client;
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
        security = tls.applyTo(security);
        return ZooKeeperClients.startAndConnect(
                ZooKeeperClients.newClient(
                        zk,
                        ZooKeeperClients.DEFAULT_SESSION_TIMEOUT,
                        ZooKeeperClients.DEFAULT_CONNECTION_TIMEOUT,
                        security),
                zk);
    }
}
