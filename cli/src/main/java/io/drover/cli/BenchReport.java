package io.drover.cli;

import io.drover.model.DroverJson;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Prints what {@code drover bench} measured: one JSON object, or lines for people. */
final class BenchReport {
    private BenchReport() {}

    /** A smaller bench's figures: one JSON object, or a line per figure. */
    static void printFlat(PrintWriter out, Map<String, Object> r, boolean json) {
        if (json) {
            out.println(DroverJson.toJson(r));
        } else {
            int width = r.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
            r.forEach((k, v) -> out.printf("%-" + width + "s %s%n", k + ":", v));
        }
        out.flush();
    }

    @SuppressWarnings("unchecked")
    static void print(PrintWriter out, Map<String, Object> r, boolean json) {
        if (json) {
            out.println(DroverJson.toJson(r));
            out.flush();
            return;
        }
        out.printf("tasks/s, burst:          %s%n", spread(r, "tasksPerSecond"));
        out.printf("tasks/s, steady state:   %s%n", spread(r, "steadyTasksPerSecond"));
        out.printf("raw ZK creates/s:        %s%n", spread(r, "zkCreatesPerSecond"));
        out.printf(
                "raw ZK creates/s, multis of %d: %s%n",
                r.get("multiSize"), spread(r, "zkMultiCreatesPerSecond"));
        out.printf(
                "ratio to raw creates:    %.2f (%.2f to %.2f)%n",
                spread(r, "ratioToRawCreates").median(),
                spread(r, "ratioToRawCreates").min(),
                spread(r, "ratioToRawCreates").max());
        for (Map<String, Object> run : (List<Map<String, Object>>) r.get("perRun")) {
            out.printf(
                    "  run: %s tasks/s (steady %s), submitted in %s s, submit-to-done p50 %s ms"
                            + " (of %s tasks)%n",
                    run.get("tasksPerSecond"),
                    run.get("steadyTasksPerSecond"),
                    run.get("submitSeconds"),
                    ((Map<String, Object>) run.get("doneLatencyMs")).get("p50"),
                    ((Map<String, Object>) run.get("doneLatencyMs")).get("count"));
        }
        out.printf(
                "light load, submit-to-done: %s%n",
                ((Map<String, Object>) r.get("lightLoad")).get("doneLatencyMs"));
        if (r.containsKey("backlogListings")) {
            out.printf(
                    "largest getChildren replies with the backlog: %s%n",
                    DroverJson.toJson(r.get("backlogListings")));
        }
        if (r.containsKey("zkCostPerTask")) {
            out.printf(
                    "ZooKeeper cost per task (last run): %s%n",
                    DroverJson.toJson(r.get("zkCostPerTask")));
        }
        out.flush();
    }

    @SuppressWarnings("unchecked")
    private static Spread spread(Map<String, Object> r, String key) {
        Map<String, Object> m = (Map<String, Object>) r.get(key);
        return Spread.of((List<Double>) m.get("runs"));
    }
}
