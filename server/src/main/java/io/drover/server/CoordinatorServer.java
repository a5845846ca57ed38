package io.drover.server;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.coordinator.CoordinatorBuilder;
import io.drover.coordinator.CoordinatorConfig;
import io.drover.model.DroverPaths;
import io.drover.server.internal.ClusterReader;
import io.drover.server.internal.ManagedCurator;
import io.drover.server.internal.ServerSupport;
import io.drover.server.internal.TypeCatalog;
import io.drover.server.internal.events.EventFeed;
import io.drover.server.internal.events.EventLog;
import io.drover.server.internal.events.EventStreams;
import io.drover.server.internal.http.BodyLimitFilter;
import io.drover.server.internal.http.ClusterResource;
import io.drover.server.internal.http.EventsResource;
import io.drover.server.internal.http.GraphsResource;
import io.drover.server.internal.http.ItemsResource;
import io.drover.server.internal.http.OpenApiResource;
import io.drover.server.internal.http.TaskActionsResource;
import io.drover.server.internal.http.TaskLookupResource;
import io.drover.server.internal.http.TaskWaits;
import io.drover.server.internal.http.TasksResource;
import io.drover.server.internal.http.TypesResource;
import io.drover.server.internal.http.WorkersResource;
import io.drover.server.internal.metrics.CoordinatorMetrics;
import io.drover.store.ItemStore;
import io.drover.store.Layout;
import io.drover.store.StoreOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;

/**
 * The coordinator server: a {@link Coordinator} (leader or standby) plus the HTTP API v1, the web
 * console at {@code /}, health checks and metrics. Every coordinator serves the whole API: writes
 * go to ZooKeeper, so the API keeps working while leadership moves. On SIGTERM the leader yields at
 * once.
 *
 * <p>Run with {@code drover coordinator CONFIG.yml}.
 */
public final class CoordinatorServer extends DroverApplication<CoordinatorServerConfig> {
    private final AtomicReference<Coordinator> coordinator = new AtomicReference<>();
    private final AtomicReference<EventStreams> streams = new AtomicReference<>();
    private final AtomicReference<TaskWaits> waits = new AtomicReference<>();
    private final boolean embedded;

    public CoordinatorServer() {
        this(false);
    }

    private CoordinatorServer(boolean embedded) {
        this.embedded = embedded;
    }

    /**
     * A server run inside another program (the quickstart): a failure to start throws instead of
     * exiting the JVM.
     */
    public static CoordinatorServer embedded() {
        return new CoordinatorServer(true);
    }

    @Override
    protected void onFatalError(Throwable t) {
        if (embedded) {
            throw new IllegalStateException(
                    "the coordinator server could not start (see the message above)", t);
        }
        super.onFatalError(t);
    }

    private final AtomicReference<org.eclipse.jetty.server.Server> jetty = new AtomicReference<>();

    @Override
    public String getName() {
        return "drover-coordinator";
    }

    /** The running coordinator once the server has started (for tests and embedding). */
    public Coordinator coordinator() {
        return coordinator.get();
    }

    /** The event stream's subscribers once the server has started (for tests and metrics). */
    public EventStreams eventStreams() {
        return streams.get();
    }

    /** The requests waiting for their tasks to end ({@code ?wait=}), for tests and metrics. */
    public TaskWaits taskWaits() {
        return waits.get();
    }

    /** Stops a server started in this JVM (the quickstart's), as SIGTERM would. Blocking. */
    public void stop() throws Exception {
        org.eclipse.jetty.server.Server s = jetty.get();
        if (s != null) {
            s.stop();
        }
    }

    /** The port the API listens on once started, or -1. */
    public int apiPort() {
        org.eclipse.jetty.server.Server s = jetty.get();
        if (s == null) {
            return -1;
        }
        for (var connector : s.getConnectors()) {
            if (connector instanceof org.eclipse.jetty.server.ServerConnector c
                    && "application".equals(c.getName())) {
                return c.getLocalPort();
            }
        }
        return -1;
    }

    @Override
    public void run(CoordinatorServerConfig config, Environment env) {
        env.lifecycle().addServerLifecycleListener(jetty::set);
        AtomicReference<DroverClient> api = new AtomicReference<>();
        TaskWaits waits =
                new TaskWaits(api::get, config.api.maxWait.toMilliseconds(), config.api.maxWaiters);
        this.waits.set(waits);
        // Streams never end by themselves: end them as Jetty starts to stop, or its graceful
        // shutdown would wait its whole grace period for them.
        env.lifecycle()
                .addEventListener(
                        new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                            @Override
                            public void lifeCycleStopping(
                                    org.eclipse.jetty.util.component.LifeCycle event) {
                                EventStreams s = streams.get();
                                if (s != null) {
                                    s.close();
                                }
                                waits.close(); // answers the waiting requests
                            }
                        });
        ManagedCurator zk = ServerSupport.common(config, env, true);
        CuratorFramework client = zk.client();
        Coordinator c = build(config, client);
        DroverPaths paths = new DroverPaths(config.cluster);
        ClusterReader reader = new ClusterReader(client, paths, config.cluster);

        env.lifecycle()
                .manage(
                        new Managed() {
                            @Override
                            public void start() {
                                // before anything reads a bucket: the cluster's layout decides
                                Layout.ensure(client, paths);
                                DroverClient d =
                                        DroverClient.using(
                                                client,
                                                config.cluster,
                                                new StoreOptions(
                                                        (int) config.api.maxTaskSize.toBytes(),
                                                        StoreOptions.defaults().maxBatchOps(),
                                                        config.api.maxLiveTasks,
                                                        config.api.maxLiveSpecBytes.toBytes()));
                                api.set(d);
                                EventFeed feed = events(config.events, client, paths);
                                feed.start();
                                EventStreams s =
                                        new EventStreams(feed.log(), c.id(), limits(config.events));
                                streams.set(s);
                                waits.start(feed.log());
                                c.start();
                                coordinator.set(c);
                                zk.closeBefore(
                                        () -> {
                                            // a leader yields at once: a standby takes over without
                                            // waiting for a session timeout
                                            c.close();
                                            s.close();
                                            waits.close();
                                            feed.close();
                                            d.close();
                                        });
                            }

                            @Override
                            public void stop() {
                                zk.stopOnce();
                            }
                        });

        Supplier<DroverClient> clientSupplier = api::get;
        env.jersey().register(new BodyLimitFilter(config.api.maxRequestSize.toBytes()));
        CoordinatorMetrics metrics = CoordinatorMetrics.install(env, c, client, paths);
        io.drover.server.internal.metrics.EventMetrics.install(
                io.drover.server.internal.metrics.ServerMetrics.of(env).registry(), streams::get);
        io.drover.server.internal.metrics.EventMetrics.installWaits(
                io.drover.server.internal.metrics.ServerMetrics.of(env).registry(), waits::waiting);
        env.jersey()
                .register(
                        new TasksResource(
                                clientSupplier,
                                reader,
                                config.api.maxBatchSize,
                                metrics.api(),
                                waits));
        env.jersey().register(new TaskActionsResource(clientSupplier));
        env.jersey().register(new GraphsResource(clientSupplier));
        env.jersey().register(new WorkersResource(reader));
        env.jersey().register(new ItemsResource(new ItemStore(client, paths)));
        env.jersey().register(new ClusterResource(reader));
        env.jersey().register(new EventsResource(streams::get));
        env.jersey().register(new TaskLookupResource(clientSupplier));
        env.jersey().register(new TypesResource(new TypeCatalog(client, paths)));
        env.jersey()
                .register(
                        new io.drover.server.internal.http.SchedulesResource(
                                new io.drover.store.ScheduleStore(
                                        client, paths, (int) config.api.maxTaskSize.toBytes())));
        env.jersey().register(new OpenApiResource());
        io.drover.server.internal.console.Console.install(env);

        env.healthChecks()
                .register(
                        "coordinator",
                        new HealthCheck() {
                            @Override
                            protected Result check() {
                                // A standby is healthy: it serves the API and is ready to lead.
                                return c.isLeaderReady()
                                        ? Result.healthy(
                                                "leader, epoch " + c.leaderEpoch().orElse(0))
                                        : Result.healthy("standby");
                            }
                        });
    }

    private static EventFeed events(
            CoordinatorServerConfig.Events config, CuratorFramework client, DroverPaths paths) {
        EventLog log =
                new EventLog(
                        config.bufferEvents,
                        config.bufferAge.toMilliseconds(),
                        System::currentTimeMillis);
        return new EventFeed(
                client,
                paths,
                log,
                new io.drover.protocol.CorruptNodes("event feed"),
                System::currentTimeMillis);
    }

    private static EventStreams.Limits limits(CoordinatorServerConfig.Events config) {
        return new EventStreams.Limits(
                config.maxSubscribers,
                config.maxLagEvents,
                Duration.ofMillis(config.heartbeat.toMilliseconds()));
    }

    private static Coordinator build(CoordinatorServerConfig config, CuratorFramework client) {
        CoordinatorServerConfig.Scheduler s = config.coordinator;
        CoordinatorBuilder b =
                Coordinator.builder()
                        .client(client)
                        .cluster(config.cluster)
                        .strategy(s.strategy)
                        .reconcileInterval(Duration.ofMillis(s.reconcileInterval.toMilliseconds()))
                        .assignmentTimeout(Duration.ofMillis(s.assignmentTimeout.toMilliseconds()))
                        .retention(Duration.ofMillis(s.retention.toMilliseconds()))
                        .maxRetainedTasks(s.maxRetainedTasks)
                        .gcInterval(Duration.ofMillis(s.gcInterval.toMilliseconds()))
                        .departedWorkerGrace(
                                Duration.ofMillis(s.departedWorkerGrace.toMilliseconds()))
                        .graphStagingTimeout(
                                Duration.ofMillis(s.graphStagingTimeout.toMilliseconds()))
                        .apiUrl(
                                io.drover.server.internal.ApiAddress.of(
                                        config.api.publicUrl, config.getServerFactory()))
                        .items(
                                new CoordinatorConfig.ItemSettings(
                                        s.maxLoadsPerWorker,
                                        s.maxItemMovesAtOnce,
                                        Duration.ofMillis(s.loadFailureCooldown.toMilliseconds())));
        if (s.id != null && !s.id.isEmpty()) {
            b.id(s.id);
        }
        return b.build();
    }

    public static void main(String[] args) throws Exception {
        new CoordinatorServer().run(args);
    }
}
