package io.drover.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "zookeeper",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a ZooKeeper server for local use: standalone, or one member of an ensemble with --servers.",
            "With --secure-port it serves clients over TLS, optionally only to authenticated ones (--enforce-auth).",
            "For production, run ZooKeeper as its own service."
        },
        footer = {
            "",
            "Examples:",
            "  drover zookeeper --port 2181 --data-dir var/zk",
            "  drover zookeeper --secure-port 2281 --data-dir var/zk --enforce-auth x509 \\",
            "      --tls-keystore zk.p12 --tls-truststore ca.p12 --tls-password-file zk.pass",
            "  drover zookeeper --id 1 --port 2181 --data-dir var/zk1 --servers 127.0.0.1:2888:3888,127.0.0.1:2889:3889,127.0.0.1:2890:3890"
        })
final class ZooKeeperCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 2181;

    @Option(
            names = "--port",
            description =
                    "Plain (not TLS) client port on --bind (default: 2181, or none with --secure-port).")
    Integer port;

    @Option(
            names = "--bind",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String bind;

    @Option(
            names = "--data-dir",
            description = "Where the server keeps its data (default: ${DEFAULT-VALUE}).",
            defaultValue = "var/zookeeper")
    File dataDir;

    @Option(
            names = "--id",
            description = "This member's id in the ensemble, 1-based (with --servers).",
            defaultValue = "0")
    int id;

    @Option(
            names = "--servers",
            split = ",",
            description = "Every ensemble member as host:peerPort:electionPort, in id order.")
    List<String> servers = new ArrayList<>();

    @Option(
            names = "--tick-ms",
            description =
                    "ZooKeeper's tick in ms; sessions may last from 2 ticks to 60 s (default: ${DEFAULT-VALUE}).",
            defaultValue = "500")
    int tickMs;

    @Option(
            names = "--max-client-cnxns",
            paramLabel = "N",
            description =
                    "Most connections one IP address may hold on this server, 0 for no limit (default: ZooKeeper's, 60).")
    Integer maxClientCnxns;

    @Mixin ZooKeeperServerSecurity security = new ZooKeeperServerSecurity();

    @Override
    public Integer call() throws Exception {
        File cfg = prepare();
        // ZooKeeper's own main: runs until the process is stopped; it exits the JVM itself on fatal
        // errors.
        QuorumPeerMain.main(new String[] {cfg.getAbsolutePath()});
        return 0;
    }

    /** The plain client port, or null for none (TLS only). */
    Integer plainPort() {
        return port != null ? port : security.securePort == null ? DEFAULT_PORT : null;
    }

    /** Checks the options and that the ports are free, writes zoo.cfg (and myid) and returns it. */
    File prepare() throws IOException {
        if (!servers.isEmpty() && (id < 1 || id > servers.size())) {
            throw new IllegalArgumentException(
                    "--id must be between 1 and "
                            + servers.size()
                            + " (the number of --servers), was "
                            + id);
        }
        if (servers.isEmpty() && id != 0) {
            throw new IllegalArgumentException("--id needs --servers");
        }
        if (maxClientCnxns != null && maxClientCnxns < 0) {
            throw new IllegalArgumentException("--max-client-cnxns must be 0 or more");
        }
        security.check(!servers.isEmpty(), plainPort());
        if (!dataDir.mkdirs() && !dataDir.isDirectory()) {
            throw new IllegalArgumentException("cannot create --data-dir " + dataDir);
        }
        if (plainPort() != null) {
            probe(plainPort(), "--port");
        }
        if (security.securePort != null) {
            probe(security.securePort, "--secure-port");
        }
        return writeConfig();
    }

    /** Checked here so that a taken port is one clear line, not ZooKeeper's logged stack trace. */
    private void probe(int p, String option) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(bind, p));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "port " + p + " on " + bind + " is in use; pick another with " + option);
        }
    }

    private File writeConfig() throws IOException {
        List<String> lines =
                new ArrayList<>(
                        List.of(
                                "tickTime=" + tickMs,
                                "initLimit=20",
                                "syncLimit=10",
                                "minSessionTimeout=" + 2 * tickMs,
                                "maxSessionTimeout=60000",
                                "dataDir=" + dataDir.getAbsolutePath(),
                                // ZooKeeper's AdminServer would need a Jetty of its own; the
                                // four-letter words remain
                                "admin.enableServer=false",
                                "4lw.commands.whitelist=srvr,stat,mntr,ruok",
                                // no commitLogCount: ZooKeeper raises any value under 500 back
                                // to 500; Drover keeps its multis small instead (capacity.md)
                                "autopurge.purgeInterval=1"));
        if (plainPort() != null) {
            lines.add("clientPort=" + plainPort());
            lines.add("clientPortAddress=" + bind);
        }
        if (maxClientCnxns != null) {
            lines.add("maxClientCnxns=" + maxClientCnxns);
        }
        lines.addAll(security.configLines(bind));
        for (int i = 0; i < servers.size(); i++) {
            String[] parts = servers.get(i).split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException(
                        "--servers entries must be host:peerPort:electionPort, was "
                                + servers.get(i));
            }
            lines.add("server." + (i + 1) + "=" + servers.get(i));
        }
        if (!servers.isEmpty()) {
            Files.writeString(
                    new File(dataDir, "myid").toPath(), id + "\n", StandardCharsets.UTF_8);
        }
        File cfg = new File(dataDir, "zoo.cfg");
        Files.write(cfg.toPath(), lines, StandardCharsets.UTF_8);
        return cfg;
    }
}
