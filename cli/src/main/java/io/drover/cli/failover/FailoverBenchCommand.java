package io.drover.cli.failover;

import io.drover.cli.Backlog;
import io.drover.client.DroverClient;
import io.drover.protocol.ZooKeeperClients;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "failover",
        mixinStandardHelpOptions = true,
        description = {
            "Measures failover with real processes: a 3-node ZooKeeper ensemble, 2 coordinator servers and 2 worker servers,",
            "each a child JVM. For each fault, the time until the cluster does the affected work again; median and max over --reps."
        },
        footer = {
            "",
            "Examples:",
            "  drover bench failover",
            "  drover bench failover --reps 5 --session-timeout 4000 --json",
            "  drover bench failover --scenarios WORKER_STOP,LEADER_STOP",
            "  drover bench failover --scenarios LEADER_STOP --backlog 100000 --server-heap 512m --zk-heap 2g"
        })
public final class FailoverBenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--reps",
            description = "Repetitions of each fault (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int reps;

    @Option(
            names = "--session-timeout",
            description =
                    "ZooKeeper session timeout of every server, ms (default: ${DEFAULT-VALUE}).",
            defaultValue = "10000")
    long sessionTimeoutMs;

    @Option(
            names = "--scenarios",
            split = ",",
            description = "Which faults: ${COMPLETION-CANDIDATES} (default: all).")
    List<FailoverBench.Scenario> scenarios =
            new ArrayList<>(List.of(FailoverBench.Scenario.values()));

    @Option(
            names = "--dir",
            description = "Where the processes keep data and logs (default: a temporary folder).")
    File dir;

    @Option(
            names = "--backlog",
            description =
                    "Tasks of a type no worker handles, submitted before the faults and left"
                            + " pending: a leader is replaced under a deep queue (default:"
                            + " ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int backlog;

    @Option(
            names = "--server-heap",
            description =
                    "Most heap of each coordinator and worker server, as -Xmx takes it (default:"
                            + " ${DEFAULT-VALUE}).",
            defaultValue = "256m")
    String serverHeap;

    @Option(
            names = "--zk-heap",
            description =
                    "Most heap of each ZooKeeper member: about 2 KB per task held, plus 200 MB"
                            + " (default: ${DEFAULT-VALUE}).",
            defaultValue = "768m")
    String zkHeap;

    @Option(
            names = "--extra-workers",
            description =
                    "Workers to run in this process besides the two worker servers, each on its"
                            + " own ZooKeeper session, taking the leader scenarios' noop tasks: a"
                            + " leader replaced among a thousand workers (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int extraWorkers;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (reps < 1 || reps > 100) {
            throw new IllegalArgumentException("--reps must be between 1 and 100, was " + reps);
        }
        if (sessionTimeoutMs < 1_000 || sessionTimeoutMs > 60_000) {
            throw new IllegalArgumentException(
                    "--session-timeout must be between 1000 and 60000 ms, was " + sessionTimeoutMs);
        }
        if (backlog < 0 || backlog > 2_000_000) {
            throw new IllegalArgumentException(
                    "--backlog must be between 0 and 2000000, was " + backlog);
        }
        if (extraWorkers < 0 || extraWorkers > ExtraWorkers.MAX) {
            throw new IllegalArgumentException(
                    "--extra-workers must be between 0 and "
                            + ExtraWorkers.MAX
                            + ", was "
                            + extraWorkers);
        }
        ProcessCluster.Heaps.check("--server-heap", serverHeap);
        ProcessCluster.Heaps.check("--zk-heap", zkHeap);
        ProcessCluster.Heaps heaps = new ProcessCluster.Heaps(zkHeap, serverHeap);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = json ? spec.commandLine().getErr() : out;
        File work = dir != null ? dir : Files.createTempDirectory("drover-failover").toFile();
        List<String> coordinators = List.of("coordinator-1", "coordinator-2");
        List<String> workers = List.of("worker-1", "worker-2");
        Map<FailoverBench.Scenario, FailoverBench.Result> results = new LinkedHashMap<>();
        try (ProcessCluster cluster =
                new ProcessCluster(work, 3, Duration.ofMillis(sessionTimeoutMs), heaps)) {
            progress.printf(
                    "starting 3 ZooKeeper nodes, 2 coordinators, 2 workers and %d in this process"
                            + " (session timeout %d ms; logs in %s)%n",
                    extraWorkers, sessionTimeoutMs, new File(work, "logs"));
            progress.flush();
            cluster.startEnsemble(Duration.ofMinutes(2));
            for (String c : coordinators) {
                cluster.startCoordinator(c);
            }
            for (String w : workers) {
                cluster.startWorker(w, 2);
            }
            try (CuratorFramework zk =
                            ZooKeeperClients.newClient(
                                    cluster.connectString(),
                                    ZooKeeperClients.DEFAULT_SESSION_TIMEOUT,
                                    ZooKeeperClients.DEFAULT_CONNECTION_TIMEOUT);
                    ExtraWorkers extra =
                            new ExtraWorkers(
                                    cluster.connectString(), "default", extraWorkers, progress)) {
                zk.start();
                DroverClient client =
                        DroverClient.using(zk, "default", Backlog.storeOptions(backlog + 10_000L));
                if (backlog > 0) {
                    progress.printf("submitting a backlog of %d pending tasks%n", backlog);
                    progress.flush();
                    Backlog.submit(client, backlog);
                }
                FailoverBench bench =
                        new FailoverBench(
                                cluster,
                                client,
                                zk,
                                coordinators,
                                workers.size() + extra.size(),
                                progress);
                for (FailoverBench.Scenario s : scenarios) {
                    results.put(s, bench.run(s, reps));
                }
                client.close();
            }
        }
        print(out, results);
        return 0;
    }

    private void print(PrintWriter out, Map<FailoverBench.Scenario, FailoverBench.Result> results) {
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("sessionTimeoutMs", sessionTimeoutMs);
            o.put("reps", reps);
            o.put("backlog", backlog);
            o.put("serverHeap", serverHeap);
            o.put("zkHeap", zkHeap);
            o.put("extraWorkers", extraWorkers);
            Map<String, Object> r = new LinkedHashMap<>();
            results.forEach(
                    (s, res) ->
                            r.put(
                                    s.name(),
                                    Map.of(
                                            "medianMs",
                                            res.medianMs(),
                                            "maxMs",
                                            res.maxMs(),
                                            "samplesMs",
                                            res.samplesMs())));
            o.put("results", r);
            out.println(io.drover.model.DroverJson.toJson(o));
        } else {
            out.printf("%nsession timeout %d ms, %d runs each%n", sessionTimeoutMs, reps);
            out.printf(
                    "%-48s %10s %10s %22s%n",
                    "fault -> recovered", "median", "max", "max vs session timeout");
            results.forEach(
                    (s, res) ->
                            out.printf(
                                    "%-48s %7d ms %7d ms %+19d ms%n",
                                    s.description,
                                    res.medianMs(),
                                    res.maxMs(),
                                    res.maxMs() - sessionTimeoutMs));
        }
        out.flush();
    }
}
