package io.drover.server.internal.metrics;

import io.drover.protocol.WatchCountingZooKeeper;
import io.drover.protocol.runtime.BatchedReader;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Locale;
import java.util.Map;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;

/**
 * The server's ZooKeeper session: the latency of every operation (Curator's tracer hears each one,
 * and {@link BatchedReader} traces its raw reads too), connection state changes and session
 * expiries, and the watches the session holds. Nothing here calls ZooKeeper.
 */
public final class ZooKeeperMetrics {
    /** Curator's trace names ({@code GetDataBuilderImpl-Background}) by their prefix. */
    private static final Map<String, String> OPERATIONS =
            Map.ofEntries(
                    Map.entry("GetDataBuilderImpl", "get_data"),
                    Map.entry("TempGetDataBuilderImpl", "get_data"),
                    Map.entry("SetDataBuilderImpl", "set_data"),
                    Map.entry("CreateBuilderImpl", "create"),
                    Map.entry("DeleteBuilderImpl", "delete"),
                    Map.entry("ExistsBuilderImpl", "exists"),
                    Map.entry("GetChildrenBuilderImpl", "get_children"),
                    Map.entry("CuratorMultiTransactionImpl", "multi"),
                    Map.entry("AddWatchBuilderImpl", "add_watch"),
                    Map.entry("RemoteWatches", "remove_watches"),
                    Map.entry("SyncBuilderImpl", "sync"),
                    Map.entry("BackgroundSyncImpl", "sync"),
                    Map.entry("GetACLBuilderImpl", "get_acl"),
                    Map.entry("SetACLBuilderImpl", "set_acl"),
                    Map.entry("GetConfigBuilderImpl", "get_config"),
                    Map.entry("ReconfigBuilderImpl", "reconfig"),
                    Map.entry("FindAndDeleteProtectedNodeInBackground", "get_children"),
                    Map.entry(BatchedReader.TRACE_MULTI, "multi_read"),
                    Map.entry(BatchedReader.TRACE_GET_DATA, "get_data"));

    private ZooKeeperMetrics() {}

    /** Starts measuring the client's session; call before the client starts. */
    public static void register(PrometheusRegistry registry, CuratorFramework client) {
        Histogram latency =
                Histogram.builder()
                        .name("drover_zookeeper_operation_duration_seconds")
                        .help(
                                "Time from sending a ZooKeeper operation to its answer, as"
                                        + " Curator measures it (whole milliseconds)")
                        .unit(Unit.SECONDS)
                        .labelNames("operation")
                        .classicOnly()
                        .classicUpperBounds(ServerMetrics.ZOOKEEPER_SECONDS)
                        .register(registry);
        client.getZookeeperClient()
                .setTracerDriver(
                        new AdvancedTracerDriver() {
                            @Override
                            public void addTrace(OperationTrace trace) {
                                String operation = operation(trace.getName());
                                if (operation != null) { // else not a ZooKeeper call
                                    latency.labelValues(operation)
                                            .observe(trace.getLatencyMs() / 1000.0);
                                }
                            }

                            @Override
                            public void addEvent(EventTrace trace) {
                                // watch events and the like: not operations
                            }
                        });

        Counter states =
                Counter.builder()
                        .name("drover_zookeeper_connection_state_changes_total")
                        .help(
                                "Changes of the ZooKeeper connection's state as Curator reports"
                                        + " them (connected, suspended, reconnected, lost,"
                                        + " read_only)")
                        .labelNames("state")
                        .register(registry);
        Counter expiries =
                Counter.builder()
                        .name("drover_zookeeper_session_expirations_total")
                        .help(
                                "ZooKeeper sessions of this server that expired (Curator's LOST:"
                                        + " ephemeral nodes and watches were gone)")
                        .register(registry);
        for (ConnectionState s : ConnectionState.values()) {
            states.labelValues(s.name().toLowerCase(Locale.ROOT)); // every state shows, at 0
        }
        client.getConnectionStateListenable()
                .addListener(
                        (c, state) -> {
                            states.labelValues(state.name().toLowerCase(Locale.ROOT)).inc();
                            if (state == ConnectionState.LOST) {
                                expiries.inc();
                            }
                        });

        GaugeWithCallback.builder()
                .name("drover_zookeeper_connected")
                .help("1 while the server's ZooKeeper session is connected")
                .callback(cb -> cb.call(client.getZookeeperClient().isConnected() ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder()
                .name("drover_zookeeper_watches")
                .help(
                        "Watches this server's ZooKeeper session holds, by kind, from the client's"
                                + " own watch tables")
                .labelNames("kind")
                .callback(
                        cb ->
                                WatchCountingZooKeeper.of(client)
                                        .ifPresent(
                                                counts ->
                                                        counts.forEach(
                                                                (kind, n) -> cb.call(n, kind))))
                .register(registry);
    }

    /**
     * A bounded label: the operation of a trace name, or null for what is no ZooKeeper call
     * (Curator also traces the time its listeners take, as {@code EventListener}).
     */
    static String operation(String traceName) {
        String known = OPERATIONS.get(traceName);
        int dash = traceName.indexOf('-');
        return known != null || dash < 0 ? known : OPERATIONS.get(traceName.substring(0, dash));
    }
}
