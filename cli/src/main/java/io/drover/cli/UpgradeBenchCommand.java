package io.drover.cli;

import io.drover.client.DroverClient;
import io.drover.model.DroverPaths;
import io.drover.protocol.ZooKeeperClients;
import io.drover.store.Layout;
import io.drover.store.LayoutUpgrade;
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
        name = "upgrade",
        mixinStandardHelpOptions = true,
        description = {
            "Measures drover layout upgrade: fills a layout-1 cluster with --tasks pending tasks (a"
                    + " type no worker handles), moves it to layout 2, and reports how long the"
                    + " move took; --reps times, each on a cluster of its own, deleted afterwards."
        },
        footer = {"", "Example:", "  drover bench upgrade --tasks 100000 --reps 3 --json"})
final class UpgradeBenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--tasks",
            defaultValue = "100000",
            description = "Pending tasks to move (default: ${DEFAULT-VALUE}).")
    int tasks;

    @Option(
            names = "--reps",
            defaultValue = "3",
            description = "Repetitions (default: ${DEFAULT-VALUE}).")
    int reps;

    @picocli.CommandLine.Mixin BenchTarget target = new BenchTarget();

    @Override
    public Integer call() throws Exception {
        if (tasks < 1 || tasks > 2_000_000 || reps < 1 || reps > 20) {
            throw new IllegalArgumentException(
                    "--tasks must be between 1 and 2000000 and --reps between 1 and 20");
        }
        EmbeddedZooKeeper embedded = target.zk != null ? null : EmbeddedZooKeeper.startInTempDir(0);
        String connect = embedded != null ? embedded.connectString() : target.zk;
        List<Double> ms = new ArrayList<>();
        List<Double> nodesPerSecond = new ArrayList<>();
        long moved = 0;
        long stayed = 0;
        try (CuratorFramework client =
                ZooKeeperClients.startAndConnect(
                        ZooKeeperClients.newClient(
                                connect,
                                ZooKeeperClients.DEFAULT_SESSION_TIMEOUT,
                                ZooKeeperClients.DEFAULT_CONNECTION_TIMEOUT),
                        connect)) {
            for (int rep = 0; rep < reps; rep++) {
                String cluster = "bench-upgrade-" + System.currentTimeMillis() + "-" + rep;
                DroverPaths layout1 = new DroverPaths(cluster);
                layout1.adoptLayout(1);
                try {
                    Layout.ensure(client, layout1);
                    try (DroverClient submitter =
                            DroverClient.using(client, cluster, Backlog.storeOptions(tasks))) {
                        Backlog.submit(submitter, tasks);
                    }
                    LayoutUpgrade.Report r = LayoutUpgrade.run(client, cluster, line -> {});
                    ms.add((double) r.tookMs());
                    nodesPerSecond.add(r.movedTotal() * 1000.0 / Math.max(1, r.tookMs()));
                    moved = r.movedTotal();
                    stayed = r.stayed();
                } finally {
                    ZkTrees.delete(client.getZookeeperClient().getZooKeeper(), layout1.root());
                }
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tasks", tasks);
        r.put("nodesMoved", moved);
        r.put("nodesStayed", stayed);
        r.put("upgradeMs", Spread.of(ms).toMap());
        r.put("nodesMovedPerSecond", Spread.of(nodesPerSecond).toMap());
        BenchReport.printFlat(spec.commandLine().getOut(), r, target.json);
        return 0;
    }
}
