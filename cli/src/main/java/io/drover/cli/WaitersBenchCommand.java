package io.drover.cli;

import io.drover.client.DroverClient;
import io.drover.model.TaskSpec;
import io.drover.protocol.ZooKeeperClients;
import io.drover.store.StoreOptions;
import io.drover.worker.demo.DemoHandlers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "waiters",
        mixinStandardHelpOptions = true,
        description = {
            "Measures what waiting clients cost ZooKeeper: --clients Java clients, each with its own"
                    + " session, submit an equal share of --tasks no-op tasks and wait for their own;"
                    + " reports the ZooKeeper notifications each received."
        },
        footer = {"", "Example:", "  drover bench waiters --clients 100 --tasks 20000 --json"})
final class WaitersBenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--clients",
            defaultValue = "100",
            description = "Waiting clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(
            names = "--tasks",
            defaultValue = "20000",
            description = "Tasks in all (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(
            names = "--workers",
            defaultValue = "4",
            description = "Workers (default: ${DEFAULT-VALUE}).")
    int workers;

    @picocli.CommandLine.Mixin BenchTarget target = new BenchTarget();

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || tasks < clients || workers < 1) {
            throw new IllegalArgumentException(
                    "--clients and --workers must be positive, and --tasks at least --clients");
        }
        String cluster = "bench-waiters-" + System.currentTimeMillis();
        try (LocalCluster lc =
                LocalCluster.start(
                        target.zk,
                        null,
                        0,
                        cluster,
                        workers,
                        64,
                        DemoHandlers.all(),
                        LocalCluster.Security.NONE,
                        java.util.function.UnaryOperator.identity())) {
            List<CuratorFramework> sessions = new ArrayList<>();
            List<DroverClient> waiting = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    CuratorFramework s =
                            ZooKeeperClients.newClient(
                                    lc.connectString(),
                                    ZooKeeperClients.DEFAULT_SESSION_TIMEOUT,
                                    ZooKeeperClients.DEFAULT_CONNECTION_TIMEOUT);
                    s.start();
                    s.blockUntilConnected(30, TimeUnit.SECONDS);
                    sessions.add(s);
                    waiting.add(DroverClient.using(s, cluster, StoreOptions.defaults()));
                }
                long start = System.nanoTime();
                List<CompletableFuture<?>> all = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    DroverClient client = waiting.get(c);
                    List<TaskSpec> mine = new ArrayList<>();
                    for (int i = c; i < tasks; i += clients) {
                        mine.add(TaskSpec.builder("noop").id("w" + c + "-" + i).build());
                    }
                    List<CompletableFuture<?>> ends = new ArrayList<>();
                    for (var submitted : client.submitAll(mine)) {
                        ends.add(submitted.thenCompose(r -> client.whenDone(r.taskId(), null)));
                    }
                    all.addAll(ends);
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                        .get(10, TimeUnit.MINUTES);
                double seconds = (System.nanoTime() - start) / 1e9;
                long[] heard =
                        waiting.stream()
                                .mapToLong(DroverClient::statusNotifications)
                                .sorted()
                                .toArray();
                report(seconds, heard);
            } finally {
                waiting.forEach(DroverClient::close);
                sessions.forEach(CuratorFramework::close);
            }
        }
        return 0;
    }

    private void report(double seconds, long[] heard) {
        long total = Arrays.stream(heard).sum();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("clients", clients);
        r.put("tasks", tasks);
        r.put("tasksPerClient", tasks / clients);
        r.put("seconds", Math.round(seconds * 100) / 100.0);
        r.put("notificationsTotal", total);
        r.put("notificationsPerClientMedian", heard[heard.length / 2]);
        r.put("notificationsPerClientMax", heard[heard.length - 1]);
        r.put("notificationsPerTaskWaited", Math.round(100.0 * total / tasks) / 100.0);
        BenchReport.printFlat(spec.commandLine().getOut(), r, target.json);
    }
}
