package io.drover.cli;

import io.drover.client.DroverClient;
import io.drover.model.GraphRecord;
import io.drover.model.GraphState;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.worker.demo.DemoHandlers;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "graph",
        mixinStandardHelpOptions = true,
        description = {
            "Measures a fan-out/fan-in graph on an in-process cluster: one root, --leaves no-op"
                    + " tasks that depend on it, --joins tasks that each depend on an equal share of"
                    + " the leaves (at most 1,000 each), and one final task that depends on the joins;"
                    + " submitted as one graph. Reports the time from submit to the final task's end."
        },
        footer = {"", "Example:", "  drover bench graph --leaves 10000 --joins 10 --json"})
final class GraphBenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--leaves",
            defaultValue = "10000",
            description = "Tasks the root fans out to (default: ${DEFAULT-VALUE}).")
    int leaves;

    @Option(
            names = "--joins",
            defaultValue = "10",
            description = "Tasks that fan the leaves in (default: ${DEFAULT-VALUE}).")
    int joins;

    @Option(
            names = "--workers",
            defaultValue = "4",
            description = "Workers (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(
            names = "--capacity",
            defaultValue = "64",
            description = "Slots per worker (default: ${DEFAULT-VALUE}).")
    int capacity;

    @picocli.CommandLine.Mixin BenchTarget target = new BenchTarget();

    @Override
    public Integer call() throws Exception {
        if (joins < 1 || leaves < joins || (leaves + joins - 1) / joins > TaskSpec.MAX_DEPENDS_ON) {
            throw new IllegalArgumentException(
                    "--joins must be positive, at most --leaves, and leave each join at most "
                            + TaskSpec.MAX_DEPENDS_ON
                            + " leaves");
        }
        if (leaves + joins + 2 > GraphRecord.MAX_TASKS || workers < 1 || capacity < 1) {
            throw new IllegalArgumentException(
                    "a graph holds at most "
                            + GraphRecord.MAX_TASKS
                            + " tasks; workers and capacity must be positive");
        }
        String cluster = "bench-graph-" + System.currentTimeMillis();
        try (LocalCluster lc =
                LocalCluster.start(
                        target.zk,
                        null,
                        0,
                        cluster,
                        workers,
                        capacity,
                        DemoHandlers.all(),
                        LocalCluster.Security.NONE,
                        java.util.function.UnaryOperator.identity())) {
            DroverClient client = lc.client();
            List<TaskSpec> tasks = plan();
            progress("submitting a graph of %d tasks", tasks.size());
            long start = System.currentTimeMillis();
            String id = client.graphs().submit("fan", tasks, null);
            long sealed = System.currentTimeMillis();
            progress("sealed after %d ms; waiting for the final task", sealed - start);
            TaskStatus fin = client.await("final", Duration.ofMinutes(30));
            TaskStatus root = client.status("root").join();
            List<String> joinIds = new ArrayList<>();
            for (int j = 0; j < joins; j++) {
                joinIds.add("join-" + j);
            }
            long lastJoin =
                    client.awaitAll(joinIds, Duration.ofMinutes(1)).stream()
                            .mapToLong(TaskStatus::finishedAtMs)
                            .max()
                            .orElse(0);
            GraphRecord g = awaitGraphEnd(client, id);
            report(tasks.size(), start, sealed, root, lastJoin, fin, g);
            return fin.state() == TaskState.SUCCEEDED && g.state() == GraphState.SUCCEEDED ? 0 : 1;
        }
    }

    private List<TaskSpec> plan() {
        List<TaskSpec> out = new ArrayList<>(leaves + joins + 2);
        out.add(TaskSpec.builder("noop").id("root").build());
        List<List<String>> groups = new ArrayList<>();
        for (int j = 0; j < joins; j++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < leaves; i++) {
            String leaf = "leaf-" + i;
            out.add(TaskSpec.builder("noop").id(leaf).dependsOn("root").build());
            groups.get(i % joins).add(leaf);
        }
        List<String> joinIds = new ArrayList<>();
        for (int j = 0; j < joins; j++) {
            joinIds.add("join-" + j);
            out.add(TaskSpec.builder("noop").id("join-" + j).dependsOn(groups.get(j)).build());
        }
        out.add(TaskSpec.builder("noop").id("final").dependsOn(joinIds).build());
        return out;
    }

    /** The leader records the graph's end a moment after the final task ends. */
    private static GraphRecord awaitGraphEnd(DroverClient client, String id)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        GraphRecord g = client.graphs().get(id).orElseThrow().value();
        while (!g.state().isEnded() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50); // a benchmark's poll, not a test's wait
            g = client.graphs().get(id).orElseThrow().value();
        }
        return g;
    }

    private void report(
            int total,
            long start,
            long sealed,
            TaskStatus root,
            long lastJoin,
            TaskStatus fin,
            GraphRecord g) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tasks", total);
        r.put("leaves", leaves);
        r.put("joins", joins);
        r.put("workers", workers);
        r.put("capacity", capacity);
        r.put("submitToSealedMs", sealed - start);
        r.put("submitToRootEndMs", root.finishedAtMs() - start);
        r.put("submitToLastJoinEndMs", lastJoin - start);
        r.put("submitToFinalEndMs", fin.finishedAtMs() - start);
        r.put("finalState", fin.state().name());
        r.put("graphState", g.state().name());
        r.put(
                "tasksPerSecond",
                Math.round(total * 1000.0 / Math.max(1, fin.finishedAtMs() - start)));
        BenchReport.printFlat(spec.commandLine().getOut(), r, target.json);
    }

    private void progress(String format, Object... args) {
        if (!target.json) {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("# " + format + "%n", args);
            out.flush();
        }
    }
}
