package io.drover.server.internal.metrics;

import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A server's Prometheus registry, served on its admin port at {@code /prometheus} (behind the admin
 * port's guard, like everything there), with the JVM's metrics. Each server has its own, never
 * Prometheus's static default one, so two servers in one JVM (tests, the quickstart) neither
 * collide nor report each other's numbers.
 */
public final class ServerMetrics {
    /** Task latencies run from a millisecond (a no-op) to minutes (a batch job), and beyond. */
    static final double[] TASK_SECONDS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
        600, 1800, 3600
    };

    /**
     * ZooKeeper answers in well under a millisecond to seconds (a stalled ensemble); Curator
     * measures whole milliseconds, so the first bucket holds what took less than one.
     */
    static final double[] ZOOKEEPER_SECONDS = {
        0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };

    private static final String ATTRIBUTE = ServerMetrics.class.getName();

    private final PrometheusRegistry registry = new PrometheusRegistry();

    private ServerMetrics() {}

    /**
     * The server's registry, made (with {@code /prometheus} and the JVM metrics) on the first call
     * and kept in the admin port's servlet context. Call while the server is being set up.
     */
    public static synchronized ServerMetrics of(Environment env) {
        Object known = env.getAdminContext().getAttribute(ATTRIBUTE);
        if (known instanceof ServerMetrics m) {
            return m;
        }
        ServerMetrics m = new ServerMetrics();
        JvmMetrics.builder().register(m.registry);
        env.admin()
                .addServlet("prometheus", new PrometheusMetricsServlet(m.registry))
                .addMapping("/prometheus");
        env.getAdminContext().setAttribute(ATTRIBUTE, m);
        return m;
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
