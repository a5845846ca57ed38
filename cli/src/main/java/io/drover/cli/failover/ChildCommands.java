package io.drover.cli.failover;

import io.dropwizard.util.DataSize;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What each child process of a {@link ProcessCluster} runs: its JVM command line and, for servers,
 * the YAML config it reads. Kept apart from the cluster, which owns the processes' lifecycle, so
 * that how a child is configured can change without touching how it is started, killed or reaped.
 */
final class ChildCommands {
    /** ZooKeeper's 60 per address would refuse a bench's thousand workers, all on loopback. */
    private static final String MAX_CLIENT_CNXNS = "4096";

    private final File dir;
    private final Duration sessionTimeout;
    private final ProcessCluster.Heaps heaps;
    private final java.util.Map<String, List<java.nio.file.Path>> credentials =
            new java.util.HashMap<>();

    ChildCommands(File dir, Duration sessionTimeout, ProcessCluster.Heaps heaps) {
        this.dir = dir;
        this.sessionTimeout = sessionTimeout;
        this.heaps = heaps;
    }

    /**
     * ZooKeeper member {@code index} of {@code ports.length}: standalone alone, else one of {@code
     * servers}.
     */
    List<String> zooKeeper(String name, int index, int[] ports, String servers) {
        return java(
                name,
                ports.length == 1
                        ? List.of(
                                "zookeeper",
                                "--port",
                                Integer.toString(ports[index]),
                                "--data-dir",
                                new File(dir, name).getPath(),
                                "--max-client-cnxns",
                                MAX_CLIENT_CNXNS)
                        : List.of(
                                "zookeeper",
                                "--id",
                                Integer.toString(index + 1),
                                "--port",
                                Integer.toString(ports[index]),
                                "--data-dir",
                                new File(dir, name).getPath(),
                                "--servers",
                                servers,
                                "--max-client-cnxns",
                                MAX_CLIENT_CNXNS));
    }

    void credentials(String name, List<java.nio.file.Path> files) {
        credentials.put(name, List.copyOf(files));
    }

    /** Writes the coordinator's config now. */
    List<String> coordinator(String id, String connectString) throws IOException {
        return java(
                id,
                List.of(
                        "coordinator",
                        writeConfig(
                                id,
                                connectString,
                                "coordinator:\n  id: " + id + "\n  reconcileInterval: 1s\n")));
    }

    /** Writes the worker's config now; {@code historyFile} null: no attempt history. */
    List<String> worker(String id, int capacity, File historyFile, String connectString)
            throws IOException {
        return java(
                id,
                List.of(
                        "worker",
                        writeConfig(
                                id,
                                connectString,
                                "worker:\n  id: "
                                        + id
                                        + "\n  capacity: "
                                        + capacity
                                        + "\n  shutdownTimeout: 5s\n"
                                        + (historyFile == null
                                                ? ""
                                                : "  historyFile: "
                                                        + historyFile.getPath()
                                                        + "\n"))));
    }

    private String writeConfig(String name, String connectString, String section)
            throws IOException {
        File f = new File(dir, name + ".yml");
        Files.writeString(
                f.toPath(),
                String.join(
                        "\n",
                        "cluster: default",
                        "zooKeeper:",
                        "  connectString: " + connectString,
                        "  sessionTimeout: " + sessionTimeout.toMillis() + "ms",
                        "  credentialsFiles: "
                                + credentials.getOrDefault(name, List.of()).stream()
                                        .map(p -> "\"" + p + "\"")
                                        .toList(),
                        section.stripTrailing(),
                        "server:",
                        "  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]",
                        "  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]",
                        "  requestLog: {appenders: []}",
                        "logging:",
                        "  level: INFO",
                        "  loggers: {org.apache.zookeeper: WARN, org.apache.curator: WARN, org.eclipse.jetty: WARN, io.dropwizard: WARN}",
                        ""),
                StandardCharsets.UTF_8);
        return f.getPath();
    }

    private List<String> java(String name, List<String> droverArgs) {
        // ZooKeeper servers hold the data tree and recent proposals in memory: they get more heap
        // than the servers.
        String size = name.startsWith("zk") ? heaps.zooKeeper() : heaps.server();
        // The serial collector costs a small heap least CPU; a pause to collect a heap of gigabytes
        // can outlast an ensemble's sync limit (5 s), and the member drops out.
        String collector =
                DataSize.parse(size).toMegabytes() > 1_000 ? "-XX:+UseG1GC" : "-XX:+UseSerialGC";
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                ProcessHandle.current().info().command().orElse("java"),
                                "-Xms32m",
                                "-Xmx" + size,
                                collector,
                                // pauses and the heap after each collection, to read a failover by
                                // (one file per process: a restarted server keeps its last one)
                                "-Xlog:gc:file="
                                        + new File(dir, "logs/" + name + "-gc-%p.log").getPath(),
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.drover.cli.Main"));
        cmd.addAll(droverArgs);
        return cmd;
    }
}
