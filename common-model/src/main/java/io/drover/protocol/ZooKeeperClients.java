package io.drover.protocol;

import io.drover.model.ZooKeeperUnavailableException;
import io.drover.protocol.acl.DroverAclProvider;
import io.drover.store.StoreOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ZKConfig;

/**
 * The one way Drover builds a Curator client (coordinators, workers, the Java client, servers, the
 * CLI). Besides the timeouts and the retry policy, it raises the client's packet limit ({@code
 * jute.maxbuffer}, client side only) to {@link #CLIENT_PACKET_BYTES}: batched reads put up to 100
 * {@code getData}s in one read-only {@code multi}, and ZooKeeper's default 1 MiB limit on a reply
 * would let two large (hand-written) nodes in one batch break the connection. The server's own
 * limit on what may be written stays as the operator set it.
 */
public final class ZooKeeperClients {
    /**
     * Largest reply a Drover-built client accepts; {@code BatchedReader} sizes its batches against
     * it.
     */
    public static final int CLIENT_PACKET_BYTES = 128 * 1024 * 1024;

    /**
     * Largest znode a ZooKeeper server with default settings stores ({@code jute.maxbuffer}, 1
     * MiB).
     */
    public static final int MAX_NODE_BYTES = 1024 * 1024;

    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    /** Weak keys: a client's provider goes when the client does. */
    private static final java.util.Map<CuratorFramework, DroverAclProvider> ACL_PROVIDERS =
            new java.util.WeakHashMap<>();

    private ZooKeeperClients() {}

    /** A new, unstarted client with Drover's settings and no credentials. */
    public static CuratorFramework newClient(
            String connectString, Duration sessionTimeout, Duration connectionTimeout) {
        return newClient(
                connectString, sessionTimeout, connectionTimeout, ZooKeeperSecurity.none());
    }

    /**
     * A new, unstarted client with Drover's settings that authenticates as {@code security} says
     * and gives every node it creates the ACL of the cluster's policy (a {@link DroverAclProvider},
     * filled in when the cluster's layout is read).
     */
    public static CuratorFramework newClient(
            String connectString,
            Duration sessionTimeout,
            Duration connectionTimeout,
            ZooKeeperSecurity security) {
        DroverAclProvider acls = new DroverAclProvider();
        ZKClientConfig config = clientConfig();
        if (security.tls() != null) {
            security.tls().applyTo(config);
        }
        CuratorFrameworkFactory.Builder b =
                CuratorFrameworkFactory.builder()
                        .connectString(connectString)
                        .sessionTimeoutMs((int) sessionTimeout.toMillis())
                        .connectionTimeoutMs((int) connectionTimeout.toMillis())
                        .retryPolicy(new ExponentialBackoffRetry(100, 10, 2_000))
                        .zkClientConfig(config)
                        .zookeeperFactory(WatchCountingZooKeeper.FACTORY)
                        // index nodes (done/, waiting/) carry nothing: not Curator's default of
                        // the local address, written once per task
                        .defaultData(new byte[0])
                        .aclProvider(acls);
        if (!security.auth().isEmpty()) {
            b.authorization(security.auth());
        }
        CuratorFramework client = b.build();
        synchronized (ACL_PROVIDERS) {
            ACL_PROVIDERS.put(client, acls);
        }
        return client;
    }

    /** The ACL provider of a client this class built, or null (Curator keeps its own to itself). */
    public static DroverAclProvider aclProvider(CuratorFramework client) {
        synchronized (ACL_PROVIDERS) {
            return ACL_PROVIDERS.get(client);
        }
    }

    /**
     * ZooKeeper client settings Drover relies on; for callers that build their own Curator client.
     */
    public static ZKClientConfig clientConfig() {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKConfig.JUTE_MAXBUFFER, Integer.toString(CLIENT_PACKET_BYTES));
        return config;
    }

    /** The reply size a client accepts (its {@code jute.maxbuffer}). */
    public static int packetLimit(CuratorFramework client) {
        try {
            return client.getZookeeperClient()
                    .getZooKeeper()
                    .getClientConfig()
                    .getInt(
                            ZKConfig.JUTE_MAXBUFFER,
                            ZKClientConfig.CLIENT_MAX_PACKET_LENGTH_DEFAULT);
        } catch (Exception notStarted) {
            return ZKClientConfig.CLIENT_MAX_PACKET_LENGTH_DEFAULT;
        }
    }

    /**
     * Starts a client and waits for its connection; closes it and fails clearly if none comes.
     * Blocking.
     */
    public static CuratorFramework startAndConnect(CuratorFramework client, String connectString) {
        client.start();
        try {
            if (!client.blockUntilConnected(
                    (int) StoreOptions.ZK_CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                client.close();
                throw new ZooKeeperUnavailableException(
                        "cannot reach ZooKeeper at "
                                + connectString
                                + " within "
                                + StoreOptions.ZK_CALL_TIMEOUT.toSeconds()
                                + " s",
                        null);
            }
            return client;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new ZooKeeperUnavailableException(
                    "interrupted while connecting to " + connectString, e);
        }
    }
}
