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
import picocli.CommandLine.Option;

@Command(
        name = "zookeeper",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a ZooKeeper server for local use: standalone, or one member of an ensemble with --servers.",
            "For production, run ZooKeeper as its own service."
        },
        footer = {
            "",
            "Examples:",
            "  drover zookeeper --port 2181 --data-dir var/zk",
            "  drover zookeeper --id 1 --port 2181 --data-dir var/zk1 --servers 127.0.0.1:2888:3888,127.0.0.1:2889:3889,127.0.0.1:2890:3890"
        })
final class ZooKeeperCommand implements Callable<Integer> {
    @Option(
            names = "--port",
            description = "Client port on --bind (default: ${DEFAULT-VALUE}).",
            defaultValue = "2181")
    int port;

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

    @Override
    public Integer call() throws Exception {
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
        if (!dataDir.mkdirs() && !dataDir.isDirectory()) {
            throw new IllegalArgumentException("cannot create --data-dir " + dataDir);
        }
        // Checked here so that a taken port is one clear line, not ZooKeeper's logged stack trace.
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "port " + port + " on " + bind + " is in use; pick another with --port");
        }
        File cfg = writeConfig();
        // ZooKeeper's own main: runs until the process is stopped; it exits the JVM itself on fatal
        // errors.
        QuorumPeerMain.main(new String[] {cfg.getAbsolutePath()});
        return 0;
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
                                "clientPort=" + port,
                                "clientPortAddress=" + bind,
                                // ZooKeeper's AdminServer would need a Jetty of its own; the
                                // four-letter words remain
                                "admin.enableServer=false",
                                "4lw.commands.whitelist=srvr,stat,mntr,ruok",
                                "autopurge.purgeInterval=1",
                                // ZooKeeper keeps its last commitLogCount proposals in memory to
                                // sync followers (500 by default).
                                // Drover's multis batch up to ~768 KiB, so 500 of them could fill a
                                // heap: keep 100.
                                "commitLogCount=100"));
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
