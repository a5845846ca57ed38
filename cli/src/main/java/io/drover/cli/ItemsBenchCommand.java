package io.drover.cli;

import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import io.drover.model.ItemSpec;
import io.drover.protocol.ZooKeeperClients;
import io.drover.store.ItemStore;
import io.drover.worker.Worker;
import io.drover.worker.demo.DemoHandlers;
import io.drover.worker.demo.DemoItems;
import java.io.PrintWriter;
import java.util.ArrayList;
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
        name = "items",
        mixinStandardHelpOptions = true,
        description = {
            "Measures load/drop items on an in-process cluster: the time to place N items, and the time to bring them back",
            "to full replication after a worker's session ends (its served nodes vanish at once; detecting a crashed",
            "process adds the session timeout, see 'bench failover'). Median and max over --reps."
        },
        footer = {
            "",
            "Examples:",
            "  drover bench items",
            "  drover bench items --items 1000 --replicas 2 --workers 4 --reps 5 --json"
        })
final class ItemsBenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--items",
            description = "Items declared (default: ${DEFAULT-VALUE}).",
            defaultValue = "1000")
    int items;

    @Option(
            names = "--replicas",
            description = "Replicas per item (default: ${DEFAULT-VALUE}).",
            defaultValue = "2")
    int replicas;

    @Option(
            names = "--workers",
            description =
                    "Workers serving items, each with its own session (default: ${DEFAULT-VALUE}).",
            defaultValue = "4")
    int workers;

    @Option(
            names = "--load-ms",
            description = "How long one demo load takes, ms (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    long loadMs;

    @Option(
            names = "--reps",
            description = "Repetitions (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int reps;

    @picocli.CommandLine.Mixin BenchTarget target = new BenchTarget();

    @Override
    public Integer call() throws Exception {
        if (items < 1
                || items > ItemStore.MAX_ITEMS
                || replicas < 1
                || workers <= replicas
                || reps < 1
                || loadMs < 0) {
            throw new IllegalArgumentException(
                    "need 1 <= --items <= "
                            + ItemStore.MAX_ITEMS
                            + ", --replicas >= 1, --workers > --replicas "
                            + "(one is lost), --reps >= 1, --load-ms >= 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        long[] placeMs = new long[reps];
        long[] rereplicateMs = new long[reps];
        int[] lost = new int[reps];
        for (int r = 0; r < reps; r++) {
            String cluster = "bench-items-" + System.currentTimeMillis();
            try (LocalCluster lc =
                            LocalCluster.start(
                                    target.zk,
                                    null,
                                    0,
                                    cluster,
                                    0,
                                    1,
                                    DemoHandlers.all(),
                                    LocalCluster.Security.NONE,
                                    java.util.function.UnaryOperator.identity());
                    CuratorFramework watcherSession = session(lc.connectString())) {
                List<CuratorFramework> sessions = new ArrayList<>();
                List<Worker> ws = new ArrayList<>();
                try {
                    for (int i = 1; i <= workers; i++) {
                        CuratorFramework s = session(lc.connectString());
                        sessions.add(s);
                        Worker w =
                                Worker.builder()
                                        .client(s)
                                        .cluster(cluster)
                                        .id("bench-worker-" + i)
                                        .itemHandler(new DemoItems())
                                        .itemConcurrency(4)
                                        .build();
                        w.start();
                        ws.add(w);
                    }
                    DroverPaths paths = new DroverPaths(cluster);
                    ItemStore store = new ItemStore(watcherSession, paths);
                    try (ReplicaCounter counter =
                            new ReplicaCounter(watcherSession, paths.served(), items, replicas)) {
                        progress(
                                out,
                                "run %d of %d: placing %d items x %d replicas on %d workers",
                                r + 1,
                                reps,
                                items,
                                replicas,
                                workers);
                        long start = System.nanoTime();
                        declare(store);
                        counter.fullyReplicated().get(10, TimeUnit.MINUTES);
                        placeMs[r] = (System.nanoTime() - start) / 1_000_000;
                        lost[r] = ws.get(0).servedItems().size();
                        progress(
                                out,
                                "placed in %d ms; ending the session of a worker that serves %d replicas",
                                placeMs[r],
                                lost[r]);
                        // Armed first: a worker closed on a session it does not own unannounces its
                        // items itself, and the
                        // leader may have them back to full replication before the session is even
                        // closed.
                        CompletableFuture<Void> restored = counter.nextFullReplication();
                        start = System.nanoTime();
                        ws.get(0).close();
                        // the server deletes any ephemeral left at once, as when a crash has been
                        // detected
                        sessions.get(0).close();
                        restored.get(10, TimeUnit.MINUTES);
                        rereplicateMs[r] = (System.nanoTime() - start) / 1_000_000;
                        progress(
                                out,
                                "back to %d replicas of every item in %d ms",
                                replicas,
                                rereplicateMs[r]);
                    }
                } finally {
                    ws.forEach(Worker::close);
                    sessions.forEach(CuratorFramework::close);
                }
            }
        }
        Percentiles place = Percentiles.of(placeMs);
        Percentiles rereplicate = Percentiles.of(rereplicateMs);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("items", items);
        result.put("replicas", replicas);
        result.put("workers", workers);
        result.put("loadMs", loadMs);
        result.put("reps", reps);
        result.put("placeMs", place.toMap());
        result.put("reReplicateMs", rereplicate.toMap());
        result.put("replicasLost", lost);
        if (target.json) {
            out.println(DroverJson.toJson(result));
        } else {
            out.printf(
                    "place %d items x %d:          median %.0f ms, max %.0f ms%n",
                    items, replicas, place.p50(), place.max());
            out.printf(
                    "re-replicate after a loss:    median %.0f ms, max %.0f ms (replicas lost per run: %s)%n",
                    rereplicate.p50(), rereplicate.max(), java.util.Arrays.toString(lost));
        }
        out.flush();
        return 0;
    }

    /** Declares the items from a few threads: each put is a few blocking round trips. */
    private void declare(ItemStore store) throws Exception {
        String spec = loadMs > 0 ? "{\"loadMs\":" + loadMs + "}" : null;
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(
                        8, new io.drover.protocol.runtime.NamedThreads("drover-bench-declare"));
        try {
            List<java.util.concurrent.Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                ItemSpec item =
                        ItemSpec.of("item-" + i, replicas)
                                .withSpec(spec == null ? null : DroverJson.parsePayload(spec));
                puts.add(pool.submit(() -> store.put(item)));
            }
            for (java.util.concurrent.Future<?> f : puts) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void progress(PrintWriter out, String format, Object... args) {
        if (!target.json) {
            out.printf("# " + format + "%n", args);
            out.flush();
        }
    }

    private static CuratorFramework session(String connect) throws InterruptedException {
        CuratorFramework c =
                ZooKeeperClients.newClient(
                        connect,
                        java.time.Duration.ofSeconds(10),
                        ZooKeeperClients.DEFAULT_CONNECTION_TIMEOUT);
        c.start();
        if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) {
            c.close();
            throw new IllegalStateException("cannot reach ZooKeeper at " + connect);
        }
        return c;
    }
}
