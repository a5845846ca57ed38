package io.drover.server.internal;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Serves every metric of a Dropwizard {@link MetricRegistry} in the Prometheus text exposition
 * format (version 0.0.4) on the admin port at {@code /prometheus}. Names are sanitized ({@code
 * drover.worker.running} becomes {@code drover_worker_running}); timers are summaries in seconds;
 * meters are counters ({@code _total}); Dropwizard counters, which can go down, are gauges.
 */
public final class PrometheusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.99};

    private final transient MetricRegistry registry;

    public PrometheusServlet(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
        resp.setHeader("Cache-Control", "must-revalidate,no-cache,no-store");
        write(registry, resp.getWriter());
    }

    /** Writes the registry in the text format. */
    public static void write(MetricRegistry registry, PrintWriter out) {
        for (Map.Entry<String, Gauge<?>> e : gauges(registry).entrySet()) {
            Object v;
            try {
                v = e.getValue().getValue();
            } catch (RuntimeException failed) {
                continue; // a gauge that cannot be read right now is left out of this scrape
            }
            if (v instanceof Number n) {
                sample(out, name(e.getKey()), "gauge", n.doubleValue());
            } else if (v instanceof Boolean b) {
                sample(out, name(e.getKey()), "gauge", b ? 1 : 0);
            }
        }
        for (Map.Entry<String, Counter> e : registry.getCounters().entrySet()) {
            sample(out, name(e.getKey()), "gauge", e.getValue().getCount());
        }
        for (Map.Entry<String, Meter> e : registry.getMeters().entrySet()) {
            sample(out, name(e.getKey()) + "_total", "counter", e.getValue().getCount());
        }
        for (Map.Entry<String, Histogram> e : registry.getHistograms().entrySet()) {
            summary(
                    out,
                    name(e.getKey()),
                    e.getValue().getSnapshot(),
                    e.getValue().getCount(),
                    1.0);
        }
        for (Map.Entry<String, Timer> e : registry.getTimers().entrySet()) {
            summary(
                    out,
                    name(e.getKey()) + "_seconds",
                    e.getValue().getSnapshot(),
                    e.getValue().getCount(),
                    1.0 / TimeUnit.SECONDS.toNanos(1));
        }
        out.flush();
    }

    /** Dropwizard hands out its gauges with a raw type; every gauge is a {@code Gauge<?>}. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Map<String, Gauge<?>> gauges(MetricRegistry registry) {
        return (Map) registry.getGauges();
    }

    private static void sample(PrintWriter out, String name, String type, double value) {
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name).append(' ').append(format(value)).append('\n');
    }

    private static void summary(
            PrintWriter out, String name, Snapshot s, long count, double scale) {
        out.append("# TYPE ").append(name).append(" summary\n");
        for (double q : QUANTILES) {
            out.append(name)
                    .append("{quantile=\"")
                    .append(Double.toString(q))
                    .append("\"} ")
                    .append(format(s.getValue(q) * scale))
                    .append('\n');
        }
        out.append(name).append("_count ").append(Long.toString(count)).append('\n');
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : Double.toString(v);
    }

    /** A legal Prometheus metric name. */
    static String name(String dropwizardName) {
        StringBuilder sb = new StringBuilder(dropwizardName.length());
        for (char c : dropwizardName.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == ':' ? c : '_');
        }
        if (sb.isEmpty() || Character.isDigit(sb.charAt(0))) {
            sb.insert(0, '_');
        }
        return sb.toString();
    }
}
