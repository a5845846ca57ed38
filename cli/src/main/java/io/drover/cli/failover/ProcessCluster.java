package io.drover.cli.failover;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A Drover cluster of real processes on loopback, each a child JVM running this same program: a
 * ZooKeeper ensemble ({@code drover zookeeper}), coordinator servers and worker servers. It can
 * kill any of them ({@code kill -9}) or stop them (SIGTERM) and start them again, for the failover
 * bench and fault tests. Not thread-safe; {@link #close()} kills whatever still runs.
 */
public final class ProcessCluster implements AutoCloseable {
    private final File dir;
    private final Duration sessionTimeout;
    private final int[] zkPorts;
    private final String zkServers;
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    /** Whatever happens to this JVM (Ctrl-C, a killed test fork), no child outlives it. */
    private final Thread reaper = new Thread(this::killAll, "drover-process-cluster-reaper");

    /** Picks free ports for an ensemble of {@code zkNodes}; nothing starts yet. */
    public ProcessCluster(File dir, int zkNodes, Duration sessionTimeout) throws IOException {
        this.dir = dir;
        this.sessionTimeout = sessionTimeout;
        this.zkPorts = new int[zkNodes];
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < zkNodes; i++) {
            zkPorts[i] = freePort();
            servers.add("127.0.0.1:" + freePort() + ":" + freePort());
        }
        this.zkServers = String.join(",", servers);
        Files.createDirectories(new File(dir, "logs").toPath());
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    public String connectString() {
        StringBuilder sb = new StringBuilder();
        for (int p : zkPorts) {
            sb.append(sb.isEmpty() ? "" : ",").append("127.0.0.1:").append(p);
        }
        return sb.toString();
    }

    /** Starts the ensemble and waits until every member serves as leader or follower. */
    public void startEnsemble(Duration timeout) throws IOException {
        for (int i = 0; i < zkPorts.length; i++) {
            String name = zkName(i);
            define(name, zkPorts.length == 1
                    ? List.of("zookeeper", "--port", Integer.toString(zkPorts[i]), "--data-dir", new File(dir, name).getPath())
                    : List.of("zookeeper", "--id", Integer.toString(i + 1), "--port", Integer.toString(zkPorts[i]),
                            "--data-dir", new File(dir, name).getPath(), "--servers", zkServers));
            start(name);
        }
        awaitEnsemble(timeout);
    }

    public void awaitEnsemble(Duration timeout) {
        await("the ZooKeeper ensemble", timeout, () -> {
            for (int i = 0; i < zkPorts.length; i++) {
                if (!zkMode(i).matches("leader|follower|standalone")) {
                    return false;
                }
            }
            return true;
        });
    }

    /** A coordinator server named {@code id}, started now. */
    public void startCoordinator(String id) throws IOException {
        define(id, List.of("coordinator", writeConfig(id, "coordinator", "coordinator:\n  id: " + id + "\n  reconcileInterval: 1s\n")));
        start(id);
    }

    /** A worker server named {@code id} with the demo handlers, started now. */
    public void startWorker(String id, int capacity) throws IOException {
        startWorker(id, capacity, null);
    }

    /** The same, appending every attempt event to {@code historyFile} (null: none). */
    public void startWorker(String id, int capacity, File historyFile) throws IOException {
        define(id, List.of("worker", writeConfig(id, "worker", "worker:\n  id: " + id + "\n  capacity: " + capacity
                + "\n  pluginsDir: " + new File(dir, "no-plugins").getPath() + "\n  shutdownTimeout: 5s\n"
                + (historyFile == null ? "" : "  historyFile: " + historyFile.getPath() + "\n"))));
        start(id);
    }

    private String writeConfig(String name, String role, String section) throws IOException {
        File f = new File(dir, name + ".yml");
        Files.writeString(f.toPath(), String.join("\n",
                "cluster: default",
                "zooKeeper:",
                "  connectString: " + connectString(),
                "  sessionTimeout: " + sessionTimeout.toMillis() + "ms",
                section.stripTrailing(),
                "server:",
                "  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]",
                "  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]",
                "  requestLog: {appenders: []}",
                "logging:",
                "  level: INFO",
                "  loggers: {org.apache.zookeeper: WARN, org.apache.curator: WARN, org.eclipse.jetty: WARN, io.dropwizard: WARN}",
                ""), StandardCharsets.UTF_8);
        return f.getPath();
    }

    private void define(String name, List<String> droverArgs) {
        // ZooKeeper servers hold the data tree and recent proposals in memory: they get more heap than the servers.
        String heap = name.startsWith("zk") ? "-Xmx768m" : "-Xmx256m";
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xms32m", heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.drover.cli.Main"));
        cmd.addAll(droverArgs);
        commands.put(name, cmd);
    }

    /** (Re)starts a defined process; its output is appended to {@code logs/<name>.log}. */
    public void start(String name) throws IOException {
        if (isRunning(name)) {
            throw new IllegalStateException(name + " still runs");
        }
        File log = new File(dir, "logs/" + name + ".log");
        processes.put(name, new ProcessBuilder(commands.get(name)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start());
    }

    /** {@code kill -9}: no shutdown hook runs, sessions end only when ZooKeeper expires them. */
    public void kill(String name) throws InterruptedException {
        Process p = processes.get(name);
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived kill -9 for 30 s");
        }
    }

    /** SIGTERM, and wait (bounded) for the process to finish its shutdown. */
    public void stop(String name) throws InterruptedException {
        terminate(name);
        awaitExit(name);
    }

    /** SIGTERM, without waiting: the process runs its graceful shutdown meanwhile. */
    public void terminate(String name) {
        processes.get(name).destroy();
    }

    /** Waits (bounded) for the process to end, then makes sure of it. */
    public void awaitExit(String name) throws InterruptedException {
        Process p = processes.get(name);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGSTOP: the JVM freezes, as in a long GC pause; its session expires if the pause outlasts it. */
    public void pause(String name) throws IOException, InterruptedException {
        signal(name, "-STOP");
    }

    /** SIGCONT: the paused JVM runs on, and finds out what happened meanwhile. */
    public void resume(String name) throws IOException, InterruptedException {
        signal(name, "-CONT");
    }

    private void signal(String name, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(processes.get(name).pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill " + signal + " " + name + " failed");
        }
    }

    public boolean isRunning(String name) {
        Process p = processes.get(name);
        return p != null && p.isAlive();
    }

    public int zkNodes() {
        return zkPorts.length;
    }

    public static String zkName(int index) {
        return "zk" + (index + 1);
    }

    /** The mode a member reports to {@code srvr} (leader, follower, standalone), or "down". */
    public String zkMode(int index) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", zkPorts[index]), 500);
            s.setSoTimeout(1_000);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int at = answer.indexOf("Mode: ");
            return at < 0 ? "down" : answer.substring(at + 6).split("\\s")[0];
        } catch (IOException e) {
            return "down";
        }
    }

    /** The index of the ensemble's current leader, or -1. */
    public int zkLeader() {
        for (int i = 0; i < zkPorts.length; i++) {
            if (zkMode(i).equals("leader")) {
                return i;
            }
        }
        return -1;
    }

    /** Waits until {@code condition} holds, checking every 10 ms; fails after {@code timeout}. */
    public static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " not reached within " + timeout.toSeconds() + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while waiting for " + what);
            }
        }
    }

    /**
     * A free port below Linux's ephemeral range (32768 and up): a port from that range could be
     * taken as the local port of some outgoing connection while its ZooKeeper node is down.
     */
    private static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 200; i++) {
            int port = 15_000 + random.nextInt(15_000);
            try (ServerSocket s = new ServerSocket(port, 0, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port found between 15000 and 30000");
    }

    private void killAll() {
        processes.values().forEach(Process::destroyForcibly);
    }

    @Override
    public void close() {
        processes.forEach((name, p) -> {
            try {
                if (p.isAlive()) {
                    resume(name); // a paused process cannot act on SIGTERM
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            } catch (IOException e) {
                p.destroyForcibly();
            }
        });
        // Servers first (SIGTERM, so that they leave cleanly), ZooKeeper last.
        processes.forEach((name, p) -> {
            if (!name.startsWith("zk") && p.isAlive()) {
                p.destroy();
            }
        });
        processes.forEach((name, p) -> {
            try {
                if (!name.startsWith("zk") && !p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the reaper runs anyway
        }
    }
}
