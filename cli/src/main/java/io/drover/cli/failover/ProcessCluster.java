package io.drover.cli.failover;

import java.io.File;
import java.io.IOException;
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
    private final ChildCommands childCommands;
    private final int[] zkPorts;
    private final String zkServers;
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();

    /** Whatever happens to this JVM (Ctrl-C, a killed test fork), no child outlives it. */
    private final Thread reaper = new Thread(this::killAll, "drover-process-cluster-reaper");

    /** Picks free ports for an ensemble of {@code zkNodes}; nothing starts yet. */
    public ProcessCluster(File dir, int zkNodes, Duration sessionTimeout) throws IOException {
        this(dir, zkNodes, sessionTimeout, Heaps.DEFAULTS);
    }

    /**
     * The most heap each kind of child may use, as {@code -Xmx} takes it ({@code 768m}, {@code
     * 2g}).
     *
     * @param zooKeeper ZooKeeper members: they hold the whole data tree
     * @param server coordinator and worker servers
     */
    public record Heaps(String zooKeeper, String server) {
        public static final Heaps DEFAULTS = new Heaps("768m", "256m");

        public Heaps {
            check("the ZooKeeper heap", zooKeeper);
            check("the server heap", server);
        }

        /** Throws, naming {@code what}, unless {@code size} is a number and a unit. */
        public static void check(String what, String size) {
            if (size == null || !size.matches("[1-9][0-9]*[kmgKMG]")) {
                throw new IllegalArgumentException(
                        what + " must be a number and a unit (k, m or g), like 512m; was " + size);
            }
        }
    }

    /** As above, with the children's heaps. */
    public ProcessCluster(File dir, int zkNodes, Duration sessionTimeout, Heaps heaps)
            throws IOException {
        this.dir = dir;
        this.childCommands = new ChildCommands(dir, sessionTimeout, heaps);
        this.zkPorts = new int[zkNodes];
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < zkNodes; i++) {
            zkPorts[i] = Loopback.freePort();
            servers.add("127.0.0.1:" + Loopback.freePort() + ":" + Loopback.freePort());
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
            commands.put(name, childCommands.zooKeeper(name, i, zkPorts, zkServers));
            start(name);
        }
        awaitEnsemble(timeout);
    }

    public void awaitEnsemble(Duration timeout) {
        await(
                "the ZooKeeper ensemble",
                timeout,
                () -> {
                    for (int i = 0; i < zkPorts.length; i++) {
                        if (!zkMode(i).matches("leader|follower|standalone")) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /**
     * The ZooKeeper credentials files ({@code user:password}) the server {@code name} presents, for
     * a cluster with an ACL policy; set before it starts.
     */
    public void zooKeeperCredentials(String name, List<java.nio.file.Path> files) {
        childCommands.credentials(name, files);
    }

    /** A coordinator server named {@code id}, started now. */
    public void startCoordinator(String id) throws IOException {
        commands.put(id, childCommands.coordinator(id, connectString()));
        start(id);
    }

    /** A worker server named {@code id} with the demo handlers, started now. */
    public void startWorker(String id, int capacity) throws IOException {
        startWorker(id, capacity, null);
    }

    /** The same, appending every attempt event to {@code historyFile} (null: none). */
    public void startWorker(String id, int capacity, File historyFile) throws IOException {
        commands.put(id, childCommands.worker(id, capacity, historyFile, connectString()));
        start(id);
    }

    /** (Re)starts a defined process; its output is appended to {@code logs/<name>.log}. */
    public void start(String name) throws IOException {
        if (isRunning(name)) {
            throw new IllegalStateException(name + " still runs");
        }
        File log = new File(dir, "logs/" + name + ".log");
        processes.put(
                name,
                new ProcessBuilder(commands.get(name))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                        .start());
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

    /**
     * SIGSTOP: the JVM freezes, as in a long GC pause; its session expires if the pause outlasts
     * it.
     */
    public void pause(String name) throws IOException, InterruptedException {
        signal(name, "-STOP");
    }

    /** SIGCONT: the paused JVM runs on, and finds out what happened meanwhile. */
    public void resume(String name) throws IOException, InterruptedException {
        signal(name, "-CONT");
    }

    private void signal(String name, String signal) throws IOException, InterruptedException {
        Process kill =
                new ProcessBuilder("kill", signal, Long.toString(processes.get(name).pid()))
                        .inheritIO()
                        .start();
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
        return Loopback.zkMode(zkPorts[index]);
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
    public static void await(
            String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        what + " not reached within " + timeout.toSeconds() + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while waiting for " + what);
            }
        }
    }

    private void killAll() {
        processes.values().forEach(Process::destroyForcibly);
    }

    @Override
    public void close() {
        processes.forEach(
                (name, p) -> {
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
        processes.forEach(
                (name, p) -> {
                    if (!name.startsWith("zk") && p.isAlive()) {
                        p.destroy();
                    }
                });
        processes.forEach(
                (name, p) -> {
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
