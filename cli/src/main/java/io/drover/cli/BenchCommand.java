package io.drover.cli;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.protocol.ZooKeeperClients;
import io.drover.worker.demo.DemoHandlers;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        subcommands = {
            io.drover.cli.failover.FailoverBenchCommand.class,
            ItemsBenchCommand.class,
            WaitersBenchCommand.class,
            UpgradeBenchCommand.class,
            GraphBenchCommand.class
        },
        description = {
            "Measures task throughput and latency against ZooKeeper's raw create rate.",
            "No-op tasks on an in-process cluster and, in the same run on the same ZooKeeper,"
                    + " asynchronous 200-byte creates, one per request and in multis. A warm-up is"
                    + " run and discarded, then --runs repetitions; medians and spread are"
                    + " reported, and on the embedded ZooKeeper what each task cost it (writes by"
                    + " hop, requests and notifications by role). Against --zk, everything the"
                    + " bench created is deleted at the end."
        },
        footer = {
            "",
            "Examples:",
            "  drover bench --tasks 20000 --workers 4",
            "  drover bench --tasks 100000 --runs 3 --json",
            "  drover bench --json --zk 127.0.0.1:2181",
            "  drover bench failover      (failover times with real processes; see its --help)",
            "  drover bench items         (placing and re-replicating load/drop items; see its --help)",
            "  drover bench graph         (a 10,000-task fan-out/fan-in graph; see its --help)"
        })
final class BenchCommand implements Callable<Integer> {
    private static final int MAX_MULTI_SIZE = 1_000;

    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin BenchOptions o = new BenchOptions();

    @picocli.CommandLine.Mixin ZooKeeperTlsOptions tls = new ZooKeeperTlsOptions();

    @Override
    public Integer call() throws Exception {
        if (o.tasks < 1
                || o.workers < 1
                || o.capacity < 1
                || o.lightTasks < 0
                || o.rawOps < 1
                || o.runs < 1
                || o.warmup < 0
                || o.multiSize < 1
                || o.backlog < 0) {
            throw new IllegalArgumentException(
                    "--tasks, --workers, --capacity, --raw-ops, --runs and --multi-size must be"
                            + " positive, --light-tasks, --warmup and --backlog not negative");
        }
        if (o.retain == null && o.gcInterval != null) {
            throw new IllegalArgumentException("--gc-interval is for --retain, which is not given");
        }
        if (o.retain != null && (o.retain < 0 || o.retain > CoordinatorConfig.MAX_RETAINED_TASKS)) {
            throw new IllegalArgumentException(
                    "--retain must be between 0 and "
                            + CoordinatorConfig.MAX_RETAINED_TASKS
                            + ", was "
                            + o.retain);
        }
        if (gcInterval(o).toMillis() < 100) {
            throw new IllegalArgumentException(
                    "--gc-interval must be at least 100ms, was " + o.gcInterval);
        }
        if (o.multiSize > MAX_MULTI_SIZE) {
            throw new IllegalArgumentException(
                    "--multi-size must be at most "
                            + MAX_MULTI_SIZE
                            + " (a multi of more 200-byte creates nears ZooKeeper's 1 MB request"
                            + " limit), was "
                            + o.multiSize);
        }
        if (o.keep && o.zk == null) {
            throw new IllegalArgumentException(
                    "--keep needs --zk: the embedded ZooKeeper ends with the bench");
        }
        PrintWriter out = spec.commandLine().getOut();
        io.drover.protocol.ZooKeeperSecurity base =
                tls.applyTo(io.drover.protocol.ZooKeeperSecurity.none());
        if (base.tls() != null && o.zk == null) {
            throw new IllegalArgumentException(
                    "--zk-tls-* need --zk: the embedded ZooKeeper has no TLS port; run drover"
                            + " zookeeper --secure-port");
        }
        java.nio.file.Path secrets =
                o.secure ? java.nio.file.Files.createTempDirectory("drover-bench-ids") : null;
        List<String> workerIds = new ArrayList<>();
        for (int i = 1; i <= o.workers; i++) {
            workerIds.add("worker-" + i);
        }
        LocalCluster.Security security =
                new LocalCluster.Security(
                        base, o.secure ? ClusterIdentities.create(secrets, workerIds) : null);
        try {
            BenchReport.print(out, measure(out, security, base), o.json);
            return 0;
        } finally {
            if (security.ids() != null) {
                security.ids().delete();
            }
        }
    }

    /** A fresh cluster (and embedded server) per repetition, so that runs do not inherit data. */
    private LocalCluster cluster(LocalCluster.Security security) throws Exception {
        return LocalCluster.start(
                o.zk,
                null,
                0,
                "bench-" + System.currentTimeMillis(),
                o.workers,
                o.capacity,
                DemoHandlers.all(),
                security,
                b -> o.retain == null ? b : b.maxRetainedTasks(o.retain).gcInterval(gcInterval(o)));
    }

    private static Duration gcInterval(BenchOptions o) {
        try {
            return o.gcInterval == null
                    ? Duration.ofSeconds(1)
                    : io.dropwizard.util.Duration.parse(o.gcInterval).toJavaDuration();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--gc-interval must be a duration such as 1s or 500ms, was " + o.gcInterval);
        }
    }

    /** One repetition's figures; costs and light load only where measured. */
    private record Repetition(
            ThroughputRun run,
            double rawRate,
            double multiRate,
            Map<String, Object> costs,
            Percentiles light,
            Map<String, Object> listings) {}

    /**
     * A fresh cluster: the backlog, the raw ceilings, a burst of {@code n} tasks (with what they
     * cost the embedded server), and, in the last one, the light-load run. Blocking.
     */
    private Repetition repetition(
            LocalCluster.Security security,
            io.drover.protocol.ZooKeeperSecurity base,
            int n,
            boolean last,
            String prefix)
            throws Exception {
        System.gc(); // the last cluster's garbage is not this run's to collect
        try (LocalCluster lc = cluster(security);
                CuratorFramework raw = rawClient(lc.connectString(), base)) {
            if (o.keep && last) {
                lc.keepOnClose();
            }
            Backlog.submit(lc.client(), o.backlog);
            Map<String, Object> listings =
                    o.backlog > 0 && last
                            ? Backlog.listings(raw, lc.client().store().paths())
                            : null;
            String rawPath = "/" + lc.cluster() + "-raw";
            double rawRate = RawCreateBench.createsPerSecond(raw, rawPath, o.rawOps);
            double multiRate =
                    RawCreateBench.multiCreatesPerSecond(raw, rawPath, o.rawOps, o.multiSize);
            // the cost is reported for the last run: reading the log for the others is wasted
            ZkLedger ledger =
                    lc.embedded() == null || !last
                            ? null
                            : new ZkLedger(
                                    lc.embedded(),
                                    new io.drover.model.DroverPaths(lc.cluster()).root(),
                                    lc.sessionRoles());
            ZkLedger.Mark mark = ledger == null ? null : ledger.mark();
            List<Map<String, Object>> cost = new ArrayList<>();
            ThroughputRun run =
                    ThroughputRun.run(
                            lc,
                            n,
                            prefix,
                            () -> ledger == null ? null : cost.add(ledger.since(mark, n)));
            Percentiles light = last ? ThroughputRun.light(lc, o.lightTasks) : null;
            return new Repetition(
                    run, rawRate, multiRate, cost.isEmpty() ? null : cost.get(0), light, listings);
        }
    }

    private Map<String, Object> measure(
            PrintWriter out,
            LocalCluster.Security security,
            io.drover.protocol.ZooKeeperSecurity base)
            throws Exception {
        for (int w = 1; w <= 2 && o.warmup > 0; w++) {
            // everything a run does, twice, thrown away: the first run after a warm-up of tasks
            // alone came out a quarter slower than the rest, the JIT still compiling the multi
            // paths that only the raw multi ceiling had used by then
            progress(out, "warm-up %d of 2: %d tasks (discarded)", w, o.warmup / 2);
            repetition(security, base, Math.max(1, o.warmup / 2), false, "warm" + w + "-");
        }
        List<Double> rawRates = new ArrayList<>();
        List<Double> multiRates = new ArrayList<>();
        List<Double> burst = new ArrayList<>();
        List<Double> steady = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Map<String, Object>> perRun = new ArrayList<>();
        Repetition last = null;
        for (int r = 1; r <= o.runs; r++) {
            progress(out, "run %d of %d: raw ceilings, then %d no-op tasks", r, o.runs, o.tasks);
            Repetition rep = repetition(security, base, o.tasks, r == o.runs, "t" + r + "-");
            last = rep;
            rawRates.add(rep.rawRate());
            multiRates.add(rep.multiRate());
            burst.add(rep.run().tasksPerSecond());
            steady.add(rep.run().steadyTasksPerSecond());
            ratios.add(rep.run().tasksPerSecond() / rep.rawRate());
            Map<String, Object> m = rep.run().toMap();
            m.put("zkCreatesPerSecond", Spread.round(rep.rawRate()));
            m.put("zkMultiCreatesPerSecond", Spread.round(rep.multiRate()));
            m.put("ratioToRawCreates", Spread.round(rep.run().tasksPerSecond() / rep.rawRate()));
            perRun.add(m);
        }
        Map<String, Object> costs = last.costs();
        Percentiles light = last.light();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tasks", o.tasks);
        result.put("workers", o.workers);
        result.put("capacity", o.capacity);
        result.put("runs", o.runs);
        result.put("warmupTasks", o.warmup);
        result.put("backlog", o.backlog);
        if (last.listings() != null) {
            result.put("backlogListings", last.listings());
        }
        if (o.retain != null) {
            result.put(
                    "retain",
                    Map.of("maxRetainedTasks", o.retain, "gcIntervalMs", gcInterval(o).toMillis()));
        }
        result.put("zooKeeper", o.zk == null ? "embedded" : o.zk);
        result.put("security", o.secure ? "acl" : "none");
        result.put(
                "zooKeeperTls",
                tls.applyTo(io.drover.protocol.ZooKeeperSecurity.none()).tls() != null);
        result.put("tasksPerSecond", Spread.of(burst).toMap());
        result.put("steadyTasksPerSecond", Spread.of(steady).toMap());
        result.put("zkCreatesPerSecond", Spread.of(rawRates).toMap());
        result.put("zkMultiCreatesPerSecond", Spread.of(multiRates).toMap());
        result.put("multiSize", o.multiSize);
        result.put("ratioToRawCreates", Spread.of(ratios).toMap());
        result.put("perRun", perRun);
        result.put("lightLoad", Map.of("tasks", o.lightTasks, "doneLatencyMs", light.toMap()));
        if (costs != null) {
            result.put("zkCostPerTask", costs);
        }
        return result;
    }

    private static CuratorFramework rawClient(
            String connect, io.drover.protocol.ZooKeeperSecurity base) {
        return ZooKeeperClients.startAndConnect(
                ZooKeeperClients.newClient(
                        connect,
                        ZooKeeperClients.DEFAULT_SESSION_TIMEOUT,
                        ZooKeeperClients.DEFAULT_CONNECTION_TIMEOUT,
                        base),
                connect);
    }

    private void progress(PrintWriter out, String format, Object... args) {
        if (!o.json) {
            out.printf("# " + format + "%n", args);
            out.flush();
        }
    }
}
