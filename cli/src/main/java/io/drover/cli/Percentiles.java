package io.drover.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Nearest-rank percentiles of a sample, in the unit of the sample. */
record Percentiles(double p50, double p95, double p99, double max, int count) {
    static Percentiles of(long[] values) {
        if (values.length == 0) {
            return new Percentiles(0, 0, 0, 0, 0);
        }
        long[] v = values.clone();
        Arrays.sort(v);
        return new Percentiles(rank(v, 50), rank(v, 95), rank(v, 99), v[v.length - 1], v.length);
    }

    private static double rank(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", p50);
        m.put("p95", p95);
        m.put("p99", p99);
        m.put("max", max);
        m.put("count", count); // fewer than the run's tasks when retention deleted some
        return m;
    }

    @Override
    public String toString() {
        return String.format(
                "p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms", p50, p95, p99, max);
    }
}
