package io.drover.cli;

import io.drover.model.DroverJson;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.model.Versioned;
import io.drover.protocol.ZooKeeperClients;
import io.drover.worker.TaskEvent;
import io.drover.worker.Worker;
import io.drover.worker.demo.DemoHandlers;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        subcommands = {
            io.drover.cli.failover.FailoverBenchCommand.class,
            ItemsBenchCommand.class,
            WaitersBenchCommand.class,
            GraphBenchCommand.class
        },
        description = {
            "Measures task throughput and latency against ZooKeeper's raw create rate.",
            "No-op tasks on an in-process cluster and, in the same run on the same ZooKeeper, asynchronous 200-byte creates."
        },
        footer = {
            "",
            "Examples:",
            "  drover bench --tasks 20000 --workers 4",
            "  drover bench --json --zk 127.0.0.1:2181",
            "  drover bench failover      (failover times with real processes; see its --help)",
            "  drover bench items         (placing and re-replicating load/drop items; see its --help)",
            "  drover bench graph         (a 10,000-task fan-out/fan-in graph; see its --help)"
        })
final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--tasks",
            description = "No-op tasks in the throughput run (default: ${DEFAULT-VALUE}).",
            defaultValue = "20000")
    int tasks;

    @Option(
            names = "--workers",
            description =
                    "Workers, each with its own ZooKeeper session (default: ${DEFAULT-VALUE}).",
            defaultValue = "4")
    int workers;

    @Option(
            names = "--capacity",
            description = "Slots per worker (default: ${DEFAULT-VALUE}).",
            defaultValue = "64")
    int capacity;

    @Option(
            names = "--light-tasks",
            description = "Tasks of the light-load run, one at a time (default: ${DEFAULT-VALUE}).",
            defaultValue = "200")
    int lightTasks;

    @Option(
            names = "--raw-ops",
            description = "Creates of the raw ceiling run (default: ${DEFAULT-VALUE}).",
            defaultValue = "20000")
    int rawOps;

    @Option(
            names = "--zk",
            description =
                    "An existing ZooKeeper (HOST:PORT); default: an embedded one in a temporary folder.")
    String zk;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Option(
            names = "--secure",
            description =
                    "Every process on ZooKeeper identities of its own (digest) under an ACL"
                            + " policy, as a secured cluster runs.")
    boolean secure;

    @picocli.CommandLine.Mixin ZooKeeperTlsOptions tls = new ZooKeeperTlsOptions();

    @Override
    public Integer call() throws Exception {
        if (tasks < 1 || workers < 1 || capacity < 1 || lightTasks < 0 || rawOps < 1) {
            throw new IllegalArgumentException(
                    "--tasks, --workers, --capacity and --raw-ops must be positive, --light-tasks not negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        String cluster = "bench-" + System.currentTimeMillis();
        io.drover.protocol.ZooKeeperSecurity base =
                tls.applyTo(io.drover.protocol.ZooKeeperSecurity.none());
        if (base.tls() != null && zk == null) {
            throw new IllegalArgumentException(
                    "--zk-tls-* need --zk: the embedded ZooKeeper has no TLS port; run drover"
                            + " zookeeper --secure-port");
        }
        java.nio.file.Path secrets =
                secure ? java.nio.file.Files.createTempDirectory("drover-bench-ids") : null;
        List<String> workerIds = new ArrayList<>();
        for (int i = 1; i <= workers; i++) {
            workerIds.add("worker-" + i);
        }
        LocalCluster.Security security =
                new LocalCluster.Security(
                        base, secure ? ClusterIdentities.create(secrets, workerIds) : null);
        try {
            return run(out, cluster, security, base);
        } finally {
            if (security.ids() != null) {
                security.ids().delete();
            }
        }
    }

    private int run(
            PrintWriter out,
            String cluster,
            LocalCluster.Security security,
            io.drover.protocol.ZooKeeperSecurity base)
            throws Exception {
        try (LocalCluster lc =
                LocalCluster.start(
                        zk, null, 0, cluster, workers, capacity, DemoHandlers.all(), security)) {
            progress(out, "measuring the raw ceiling: %d asynchronous 200-byte creates", rawOps);
            double rawRate;
            try (CuratorFramework raw = rawClient(lc.connectString(), base)) {
                rawRate = RawCreateBench.createsPerSecond(raw, "/drover-bench/" + cluster, rawOps);
            }
            progress(out, "warming up");
            runThroughput(lc, Math.min(2_000, tasks), "warm");
            progress(
                    out,
                    "throughput run: %d no-op tasks on %d workers x %d slots",
                    tasks,
                    workers,
                    capacity);
            Run run = runThroughput(lc, tasks, "t");
            progress(out, "light-load run: %d tasks, one at a time", lightTasks);
            Percentiles light = runLight(lc);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("tasks", tasks);
            result.put("workers", workers);
            result.put("capacity", capacity);
            result.put("security", secure ? "acl" : "none");
            result.put("zooKeeperTls", base.tls() != null);
            result.put("seconds", round(run.seconds));
            result.put("tasksPerSecond", round(tasks / run.seconds));
            result.put("zkCreatesPerSecond", round(rawRate));
            result.put("ratioToRawCreates", round(tasks / run.seconds / rawRate));
            result.put("startLatencyMs", run.start.toMap());
            result.put("doneLatencyMs", run.done.toMap());
            result.put("lightLoad", Map.of("tasks", lightTasks, "doneLatencyMs", light.toMap()));
            if (json) {
                out.println(DroverJson.toJson(result));
            } else {
                out.printf(
                        "tasks/s:            %.0f  (%d tasks in %.2f s)%n",
                        tasks / run.seconds, tasks, run.seconds);
                out.printf(
                        "raw ZK creates/s:   %.0f  (ratio %.2f)%n",
                        rawRate, tasks / run.seconds / rawRate);
                out.printf("submit-to-start:    %s%n", run.start);
                out.printf("submit-to-done:     %s%n", run.done);
                out.printf("light load, submit-to-done: %s%n", light);
            }
            out.flush();
            return 0;
        }
    }

    private record Run(double seconds, Percentiles start, Percentiles done) {}

    private Run runThroughput(LocalCluster lc, int n, String prefix) throws Exception {
        CountDownLatch committed = new CountDownLatch(n);
        String idPrefix = prefix + System.nanoTime() + "-";
        for (Worker w : lc.workers()) {
            w.addListener(
                    e -> {
                        if (e.kind() == TaskEvent.Kind.COMMITTED
                                && e.taskId().startsWith(idPrefix)) {
                            committed.countDown();
                        }
                    });
        }
        List<TaskSpec> specs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            specs.add(TaskSpec.builder("noop").id(idPrefix + i).build());
        }
        long start = System.nanoTime();
        List<CompletableFuture<io.drover.store.SubmitResult>> submitted = new ArrayList<>(n);
        for (TaskSpec s : specs) {
            submitted.add(lc.client().submit(s.withSubmittedAtMs(System.currentTimeMillis())));
        }
        CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new))
                .get(10, TimeUnit.MINUTES);
        if (!committed.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException(
                    "only "
                            + (n - committed.getCount())
                            + " of "
                            + n
                            + " tasks finished within 10 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] startLat = new long[n];
        long[] doneLat = new long[n];
        List<CompletableFuture<Optional<Versioned<TaskStatus>>>> reads = new ArrayList<>(n);
        for (TaskSpec s : specs) {
            reads.add(lc.client().store().status(s.id()));
        }
        for (int i = 0; i < n; i++) {
            TaskStatus st = reads.get(i).get(1, TimeUnit.MINUTES).orElseThrow().value();
            startLat[i] = st.startedAtMs() - st.submittedAtMs();
            doneLat[i] = st.finishedAtMs() - st.submittedAtMs();
        }
        return new Run(seconds, Percentiles.of(startLat), Percentiles.of(doneLat));
    }

    private Percentiles runLight(LocalCluster lc) throws Exception {
        long[] done = new long[lightTasks];
        for (int i = 0; i < lightTasks; i++) {
            String id = "light-" + System.nanoTime();
            lc.client().submit(TaskSpec.builder("noop").id(id).build()).get(1, TimeUnit.MINUTES);
            TaskStatus st = lc.client().await(id, Duration.ofMinutes(1));
            done[i] = st.finishedAtMs() - st.submittedAtMs();
        }
        return Percentiles.of(done);
    }

    private static CuratorFramework rawClient(
            String connect, io.drover.protocol.ZooKeeperSecurity base) throws InterruptedException {
        CuratorFramework c =
                ZooKeeperClients.newClient(
                        connect,
                        ZooKeeperClients.DEFAULT_SESSION_TIMEOUT,
                        ZooKeeperClients.DEFAULT_CONNECTION_TIMEOUT,
                        base);
        c.start();
        c.blockUntilConnected(30, TimeUnit.SECONDS);
        return c;
    }

    private void progress(PrintWriter out, String format, Object... args) {
        if (!json) {
            out.printf("# " + format + "%n", args);
            out.flush();
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
