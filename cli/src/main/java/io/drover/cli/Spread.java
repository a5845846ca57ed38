package io.drover.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The median of repeated measurements and their spread (lowest, highest), each as measured. */
record Spread(double median, double min, double max, List<Double> runs) {
    static Spread of(List<Double> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        double[] v = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Spread(round(median), round(v[0]), round(v[n - 1]), List.copyOf(runs));
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", median);
        m.put("min", min);
        m.put("max", max);
        m.put("runs", runs.stream().map(Spread::round).toList());
        return m;
    }

    @Override
    public String toString() {
        return String.format("%.0f  (%.0f to %.0f over %d runs)", median, min, max, runs.size());
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
