package io.drover.cli;

import java.io.File;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * A real, single ZooKeeper server in this JVM (standalone mode), on loopback, with its data in a
 * folder of the caller's choice. For the quickstart and the bench; production runs an ensemble.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    /**
     * Connections it accepts from one address (ZooKeeper's default is 60): every session of the
     * bench comes from 127.0.0.1, a thousand workers' among them.
     */
    static final int MAX_CLIENT_CNXNS = 4_096;

    private final ServerCnxnFactory factory;
    private final ZooKeeperServer server;
    private final int port;
    private File ownedDir; // deleted on close: a folder this class made

    private EmbeddedZooKeeper(ServerCnxnFactory factory, ZooKeeperServer server) {
        this.factory = factory;
        this.server = server;
        this.port = factory.getLocalPort();
    }

    /**
     * Starts a server on {@code 127.0.0.1:port} (0 picks a free port) with its data in a new
     * temporary folder, which {@link #close} deletes.
     */
    public static EmbeddedZooKeeper startInTempDir(int port)
            throws IOException, InterruptedException {
        File dir = java.nio.file.Files.createTempDirectory("drover-zk").toFile();
        try {
            EmbeddedZooKeeper zk = start(dir, port);
            zk.ownedDir = dir;
            return zk;
        } catch (IOException | InterruptedException | RuntimeException e) {
            Files.deleteRecursively(dir);
            throw e;
        }
    }

    /** Starts a server on {@code 127.0.0.1:port} (0 picks a free port). */
    public static EmbeddedZooKeeper start(File dataDir, int port)
            throws IOException, InterruptedException {
        // The AdminServer needs Jetty, which Drover does not ship; the four-letter words stay
        // available.
        System.setProperty("zookeeper.admin.enableServer", "false");
        System.setProperty("zookeeper.4lw.commands.whitelist", "srvr,stat,mntr,ruok");
        File snap = new File(dataDir, "data");
        File log = new File(dataDir, "log");
        if (!snap.mkdirs() && !snap.isDirectory() || !log.mkdirs() && !log.isDirectory()) {
            throw new IOException(
                    "cannot create ZooKeeper data folders under " + dataDir.getAbsolutePath());
        }
        ZooKeeperServer server = new ZooKeeperServer(snap, log, 200);
        server.setMinSessionTimeout(400); // short sessions for fault tests
        server.setMaxSessionTimeout(60_000); // the default would cap sessions at 20 ticks = 4 s
        ServerCnxnFactory factory = ServerCnxnFactory.createFactory();
        try {
            factory.configure(new InetSocketAddress("127.0.0.1", port), MAX_CLIENT_CNXNS);
        } catch (BindException e) {
            throw new IOException(
                    "port " + port + " is in use; pass another port (0 picks a free one)", e);
        }
        factory.startup(server);
        return new EmbeddedZooKeeper(factory, server);
    }

    public int port() {
        return port;
    }

    /** The server's client connections now (bench accounting). */
    Iterable<org.apache.zookeeper.server.ServerCnxn> connections() {
        return factory.getConnections();
    }

    /** Watched paths (data and persistent watches) per session id. */
    java.util.Map<Long, java.util.Set<String>> watchesBySession() {
        return server.getZKDatabase().getDataTree().getWatches().toMap();
    }

    /** The zxid of the last write the server applied. */
    long lastZxid() {
        return server.getZKDatabase().getDataTreeLastProcessedZxid();
    }

    /** The folder of the transaction log files ({@code .../version-2}). */
    File logDir() {
        return server.getTxnLogFactory().getDataLogDir();
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        factory.shutdown();
        server.shutdown();
        if (ownedDir != null) {
            try {
                Files.deleteRecursively(ownedDir);
            } catch (IOException e) {
                System.err.println("could not delete " + ownedDir + ": " + e.getMessage());
            }
        }
    }
}
