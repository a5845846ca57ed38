package io.drover.coordinator;

import io.drover.coordinator.internal.CoordinatorImpl;
import io.drover.protocol.ZooKeeperClients;
import java.time.Duration;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;

/**
 * Builds a {@link Coordinator}. Give either a connect string (the coordinator owns its client) or a
 * started client.
 */
public final class CoordinatorBuilder {
    private String connectString;
    private io.drover.protocol.ZooKeeperSecurity security =
            io.drover.protocol.ZooKeeperSecurity.none();
    private CuratorFramework client;
    private String cluster = "default";
    private String id;
    private AssignmentStrategy strategy = AssignmentStrategy.EQUAL_DISTRIBUTION;
    private int maxOpsPerMulti = 900;
    private Duration reconcileInterval = Duration.ofSeconds(10);
    private Duration assignmentTimeout = Duration.ofSeconds(30);
    private Duration retention = Duration.ofHours(24);
    private int maxRetainedTasks = 100_000;
    private Duration gcInterval = Duration.ofMinutes(1);
    private Duration departedWorkerGrace = Duration.ofMinutes(10);
    private Duration sessionTimeout = Duration.ofSeconds(10);
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private String apiUrl = "";
    private CoordinatorConfig.ItemSettings items = CoordinatorConfig.ItemSettings.DEFAULTS;
    private Duration graphStagingTimeout = Duration.ofMinutes(10);

    CoordinatorBuilder() {}

    /**
     * The ZooKeeper credentials of the session this builds (with {@link #connectString}); a client
     * given with {@code client(...)} brings its own. Default: none (an open cluster).
     */
    public CoordinatorBuilder zooKeeperSecurity(io.drover.protocol.ZooKeeperSecurity security) {
        this.security = java.util.Objects.requireNonNull(security, "security");
        return this;
    }

    public CoordinatorBuilder connectString(String connectString) {
        this.connectString = connectString;
        return this;
    }

    public CoordinatorBuilder client(CuratorFramework client) {
        this.client = client;
        return this;
    }

    public CoordinatorBuilder cluster(String cluster) {
        this.cluster = cluster;
        return this;
    }

    public CoordinatorBuilder id(String id) {
        this.id = id;
        return this;
    }

    public CoordinatorBuilder strategy(AssignmentStrategy strategy) {
        this.strategy = strategy;
        return this;
    }

    public CoordinatorBuilder maxOpsPerMulti(int ops) {
        this.maxOpsPerMulti = ops;
        return this;
    }

    public CoordinatorBuilder reconcileInterval(Duration interval) {
        this.reconcileInterval = interval;
        return this;
    }

    public CoordinatorBuilder assignmentTimeout(Duration timeout) {
        this.assignmentTimeout = timeout;
        return this;
    }

    /** Terminal tasks older than this are deleted (default 24 h). */
    public CoordinatorBuilder retention(Duration retention) {
        this.retention = retention;
        return this;
    }

    /** At most this many terminal tasks are kept, the oldest deleted first (default 100,000). */
    public CoordinatorBuilder maxRetainedTasks(int max) {
        this.maxRetainedTasks = max;
        return this;
    }

    /**
     * How long a worker must have been gone before the leader deletes its folders (default 10
     * minutes).
     */
    public CoordinatorBuilder departedWorkerGrace(Duration grace) {
        this.departedWorkerGrace = grace;
        return this;
    }

    public CoordinatorBuilder gcInterval(Duration interval) {
        this.gcInterval = interval;
        return this;
    }

    public CoordinatorBuilder sessionTimeout(Duration timeout) {
        this.sessionTimeout = timeout;
        return this;
    }

    public CoordinatorBuilder connectionTimeout(Duration timeout) {
        this.connectionTimeout = timeout;
        return this;
    }

    public CoordinatorBuilder apiUrl(String url) {
        this.apiUrl = url;
        return this;
    }

    /** How the leader places load/drop items: throttle, balancing moves, failure cool-down. */
    public CoordinatorBuilder items(CoordinatorConfig.ItemSettings settings) {
        this.items = settings;
        return this;
    }

    /**
     * How long a graph may stay staged (its submitter writing its tasks) before the leader abandons
     * it and takes its tasks back: a submitter that died leaves nothing behind. Default 10 minutes.
     */
    public CoordinatorBuilder graphStagingTimeout(Duration timeout) {
        this.graphStagingTimeout = timeout;
        return this;
    }

    public Coordinator build() {
        if ((client == null) == (connectString == null)) {
            throw new IllegalArgumentException("give exactly one of connectString or client");
        }
        CoordinatorConfig config =
                new CoordinatorConfig(
                        id != null
                                ? id
                                : "coordinator-" + UUID.randomUUID().toString().substring(0, 8),
                        cluster,
                        strategy,
                        maxOpsPerMulti,
                        reconcileInterval,
                        assignmentTimeout,
                        retention,
                        maxRetainedTasks,
                        gcInterval,
                        departedWorkerGrace,
                        apiUrl,
                        items,
                        graphStagingTimeout);
        boolean owned = client == null;
        CuratorFramework c =
                owned
                        ? ZooKeeperClients.newClient(
                                connectString, sessionTimeout, connectionTimeout, security)
                        : client;
        return new CoordinatorImpl(config, c, owned);
    }
}
