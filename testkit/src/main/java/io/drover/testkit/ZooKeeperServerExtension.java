package io.drover.testkit;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.curator.utils.CloseableUtils;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ZKConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ZooKeeper server (curator-test's {@link TestingServer}) for a test class, plus clients
 * that are closed after each test. Register it as a static field:
 *
 * <pre>
 * {@code @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();}
 * </pre>
 *
 * Each test should use its own cluster name ({@link #uniqueCluster()}) so tests stay independent
 * while sharing one server.
 */
public final class ZooKeeperServerExtension
        implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    /** Short enough that expiry tests are quick, long enough for a loaded 2-core CI machine. */
    public static final int SESSION_TIMEOUT_MS = 4_000;

    private TestingServer server;
    private final List<CuratorFramework> clients = new ArrayList<>();
    private int clusterCounter;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        // A small tick lets tests choose short sessions (the minimum is 2 ticks); without an
        // explicit
        // maximum the server would cap every session at 20 ticks = 4 s, whatever a test asks for.
        InstanceSpec spec =
                new InstanceSpec(
                        null,
                        -1,
                        -1,
                        -1,
                        true,
                        -1,
                        200,
                        -1,
                        java.util.Map.of("maxSessionTimeout", "60000"));
        // wchs lets tests count the server's watches (watchCount)
        System.setProperty("zookeeper.4lw.commands.whitelist", "srvr,stat,mntr,ruok,wchs");
        server = new TestingServer(spec, true);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        synchronized (clients) {
            clients.forEach(CloseableUtils::closeQuietly);
            clients.clear();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        afterEach(context);
        if (server != null) {
            server.close();
        }
    }

    /**
     * The number of watches the server holds (its {@code wchs} command: "Total watches"),
     * persistent ones included.
     */
    public long watchCount() throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.getPort())) {
            socket.getOutputStream()
                    .write("wchs".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String reply =
                    new String(
                            socket.getInputStream().readAllBytes(),
                            java.nio.charset.StandardCharsets.US_ASCII);
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("Total watches:(\\d+)").matcher(reply);
            if (!m.find()) {
                throw new java.io.IOException("unexpected wchs reply: " + reply);
            }
            return Long.parseLong(m.group(1));
        }
    }

    public String connectString() {
        return server.getConnectString();
    }

    public TestingServer server() {
        return server;
    }

    /** A started client with the test session timeout, closed after the test. */
    public CuratorFramework newClient() {
        return newClient(SESSION_TIMEOUT_MS);
    }

    public CuratorFramework newClient(int sessionTimeoutMs) {
        return newClient(connectString(), sessionTimeoutMs);
    }

    /**
     * A started client to any connect string (a {@link TcpProxy}'s, say), closed after the test.
     */
    public CuratorFramework newClient(String connectString, int sessionTimeoutMs) {
        CuratorFramework client =
                CuratorFrameworkFactory.builder()
                        .connectString(connectString)
                        .sessionTimeoutMs(sessionTimeoutMs)
                        .connectionTimeoutMs(sessionTimeoutMs)
                        .retryPolicy(new ExponentialBackoffRetry(50, 5, 500))
                        .zkClientConfig(clientConfig())
                        .build();
        client.start();
        track(client);
        return client;
    }

    /**
     * The client settings Drover's own clients use ({@code io.drover.protocol.ZooKeeperClients},
     * which the test kit cannot depend on): a 128 MiB reply limit, so batched reads of large nodes
     * fit.
     */
    public static ZKClientConfig clientConfig() {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKConfig.JUTE_MAXBUFFER, Integer.toString(128 * 1024 * 1024));
        return config;
    }

    /** Closes this client after the test too (for clients made elsewhere). */
    public <T extends CuratorFramework> T track(T client) {
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    /** A cluster name no other test in this JVM uses. */
    public synchronized String uniqueCluster() {
        return "t" + ProcessHandle.current().pid() + "-" + (++clusterCounter);
    }
}
