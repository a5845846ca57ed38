package io.drover.worker;

import io.drover.model.Names;
import io.drover.protocol.ZooKeeperClients;
import io.drover.worker.internal.WorkerImpl;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;

/**
 * Builds a {@link Worker}. Give either a connect string (the worker owns its client) or a started
 * client. Not thread-safe.
 */
public final class WorkerBuilder {
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private String connectString;
    private io.drover.protocol.ZooKeeperSecurity security =
            io.drover.protocol.ZooKeeperSecurity.none();
    private CuratorFramework client;
    private String cluster = "default";
    private String id;
    private int capacity = WorkerConfig.DEFAULT_CAPACITY;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, TaskHandler> handlers = new LinkedHashMap<>();
    private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
    private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private int maxResultBytes = 256 * 1024;
    private Duration progressInterval = Duration.ofSeconds(1);
    private Duration cancelGrace = Duration.ofSeconds(10);
    private Duration drainGrace = Duration.ofSeconds(30);
    private ItemHandler itemHandler;
    private WorkerConfig.ItemSettings items = WorkerConfig.ItemSettings.DEFAULTS;

    WorkerBuilder() {}

    /**
     * The ZooKeeper credentials of the session this builds (with {@link #connectString}); a client
     * given with {@code client(...)} brings its own. Default: none (an open cluster).
     */
    public WorkerBuilder zooKeeperSecurity(io.drover.protocol.ZooKeeperSecurity security) {
        this.security = java.util.Objects.requireNonNull(security, "security");
        return this;
    }

    public WorkerBuilder connectString(String connectString) {
        this.connectString = connectString;
        return this;
    }

    /** Use a client the caller owns (started, not closed by the worker). */
    public WorkerBuilder client(CuratorFramework client) {
        this.client = client;
        return this;
    }

    public WorkerBuilder cluster(String cluster) {
        this.cluster = cluster;
        return this;
    }

    /** Defaults to {@code <hostname>-<random>}. */
    public WorkerBuilder id(String id) {
        this.id = id;
        return this;
    }

    /**
     * Tasks run at once, and the size of the handler pool (default {@link
     * WorkerConfig#DEFAULT_CAPACITY}).
     */
    public WorkerBuilder capacity(int capacity) {
        this.capacity = capacity;
        return this;
    }

    public WorkerBuilder label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    public WorkerBuilder handler(String type, TaskHandler handler) {
        Names.checkName("handler type", type);
        if (handlers.putIfAbsent(type, handler) != null) {
            throw new IllegalArgumentException(
                    "a handler for type " + type + " is already registered");
        }
        return this;
    }

    public WorkerBuilder sessionTimeout(Duration timeout) {
        this.sessionTimeout = timeout;
        return this;
    }

    public WorkerBuilder connectionTimeout(Duration timeout) {
        this.connectionTimeout = timeout;
        return this;
    }

    public WorkerBuilder shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = timeout;
        return this;
    }

    public WorkerBuilder maxResultBytes(int bytes) {
        this.maxResultBytes = bytes;
        return this;
    }

    /** At most one progress write per task per interval (default 1 s). */
    public WorkerBuilder progressInterval(Duration interval) {
        this.progressInterval = interval;
        return this;
    }

    /**
     * How long a cancelled handler may take to stop before CANCELLED is committed anyway (default
     * 10 s).
     */
    public WorkerBuilder cancelGrace(Duration grace) {
        this.cancelGrace = grace;
        return this;
    }

    /**
     * How long a draining worker lets running tasks finish before handing the rest back (default 30
     * s).
     */
    public WorkerBuilder drainGrace(Duration grace) {
        this.drainGrace = grace;
        return this;
    }

    /**
     * Lets this worker serve load/drop items (announced as {@code servesItems}); the leader places
     * items only on workers that have one.
     */
    public WorkerBuilder itemHandler(ItemHandler handler) {
        this.itemHandler = handler;
        return this;
    }

    /** Item handler calls at once (default 2). */
    public WorkerBuilder itemConcurrency(int n) {
        items =
                new WorkerConfig.ItemSettings(
                        n, items.timeout(), items.maxAttempts(), items.retryBackoff());
        return this;
    }

    /** Bound on one load or drop call (default 10 min). */
    public WorkerBuilder itemTimeout(Duration timeout) {
        items =
                new WorkerConfig.ItemSettings(
                        items.concurrency(), timeout, items.maxAttempts(), items.retryBackoff());
        return this;
    }

    /**
     * Calls before a failing load is reported to the leader (default 3), waiting {@code backoff},
     * doubling, between them (default 1 s).
     */
    public WorkerBuilder itemRetries(int maxAttempts, Duration backoff) {
        items =
                new WorkerConfig.ItemSettings(
                        items.concurrency(), items.timeout(), maxAttempts, backoff);
        return this;
    }

    public Worker build() {
        if (handlers.isEmpty() && itemHandler == null) {
            throw new IllegalArgumentException(
                    "a worker needs at least one task handler or an item handler");
        }
        if ((client == null) == (connectString == null)) {
            throw new IllegalArgumentException("give exactly one of connectString or client");
        }
        WorkerConfig config =
                new WorkerConfig(
                        id != null ? id : defaultId(),
                        cluster,
                        capacity,
                        labels,
                        maxResultBytes,
                        shutdownTimeout,
                        progressInterval,
                        cancelGrace,
                        drainGrace,
                        items);
        boolean owned = client == null;
        CuratorFramework c =
                owned
                        ? ZooKeeperClients.newClient(
                                connectString, sessionTimeout, connectionTimeout, security)
                        : client;
        return new WorkerImpl(config, Map.copyOf(handlers), itemHandler, c, owned);
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (Exception e) {
            host = "worker";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
