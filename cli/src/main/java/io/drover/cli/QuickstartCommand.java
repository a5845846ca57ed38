package io.drover.cli;

import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.server.CoordinatorServer;
import io.drover.worker.demo.DemoHandlers;
import java.io.File;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a demo cluster on an embedded ZooKeeper and submits a demo batch.",
            "One coordinator and two workers with the demo handlers (noop, sleep, echo, fail); prints progress and a summary."
        },
        footer = {
            "",
            "Examples:",
            "  drover quickstart",
            "  drover quickstart --tasks 1000 --exit"
        })
final class QuickstartCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--tasks",
            description = "Demo tasks to run (default: ${DEFAULT-VALUE}).",
            defaultValue = "100")
    int tasks;

    @Option(
            names = "--exit",
            description = "Exit after the demo batch (exit code 0 only if every task succeeded).")
    boolean exit;

    @Option(
            names = "--zk-port",
            description =
                    "Port of the embedded ZooKeeper on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).",
            defaultValue = "2181")
    int zkPort;

    @Option(
            names = "--data-dir",
            description =
                    "Folder for ZooKeeper's data, emptied at start (default: ${DEFAULT-VALUE}).",
            defaultValue = "var/quickstart")
    File dataDir;

    @Option(
            names = "--api-port",
            description =
                    "Port of the HTTP API on 127.0.0.1 for the CLI; 0 picks a free one, -1 serves none (default: ${DEFAULT-VALUE}).",
            defaultValue = "8080")
    int apiPort;

    @Option(
            names = "--timeout-s",
            description = "Seconds to wait for the demo batch (default: ${DEFAULT-VALUE}).",
            defaultValue = "300")
    int timeoutS;

    // the Ctrl-C hook closes the cluster early (before ZooKeeper stops); closing is idempotent
    @Override
    @SuppressWarnings("try")
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (tasks < 0 || tasks > 1_000_000) {
            throw new IllegalArgumentException(
                    "--tasks must be between 0 and 1000000, was " + tasks);
        }
        String cluster = "default";
        // The quickstart always starts from an empty ZooKeeper: its folder holds nothing but a past
        // quickstart's data.
        Files.deleteRecursively(dataDir);
        try (LocalCluster lc =
                LocalCluster.start(
                        null,
                        dataDir,
                        zkPort,
                        cluster,
                        2,
                        8,
                        DemoHandlers.all(),
                        LocalCluster.Security.NONE,
                        java.util.function.UnaryOperator.identity())) {
            out.printf(
                    "ZooKeeper on %s (data in %s), cluster '%s': 1 coordinator, 2 workers (noop, sleep, echo, fail)%n",
                    lc.connectString(), dataDir.getPath(), cluster);
            CoordinatorServer api =
                    apiPort < 0
                            ? null
                            : QuickstartApi.start(
                                    lc.connectString(), cluster, apiPort, dataDir, out);
            try {
                if (api != null) {
                    out.printf(
                            "HTTP API on http://127.0.0.1:%d (a standby coordinator); try: bin/drover cluster --url http://127.0.0.1:%d%n",
                            api.apiPort(), api.apiPort());
                }
                int code = runBatch(lc, out);
                if (exit) {
                    return code;
                }
                out.println("The cluster keeps running; press Ctrl-C to stop.");
                out.flush();
                // Ctrl-C: the API stops, workers hand back, the leader yields, then ZooKeeper
                // stops.
                Runtime.getRuntime()
                        .addShutdownHook(
                                new Thread(
                                        () -> {
                                            QuickstartApi.stop(api);
                                            lc.close();
                                        },
                                        "drover-quickstart-shutdown"));
                new CountDownLatch(1).await();
                return code;
            } finally {
                QuickstartApi.stop(api);
            }
        }
    }

    private int runBatch(LocalCluster lc, PrintWriter out) throws InterruptedException {
        List<TaskSpec> specs = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            specs.add(
                    switch (i % 4) {
                        case 0 -> TaskSpec.builder("noop").id("demo-" + i).build();
                        case 1 ->
                                TaskSpec.builder("echo")
                                        .id("demo-" + i)
                                        .payloadJson("{\"n\":" + i + "}")
                                        .build();
                        case 2 ->
                                TaskSpec.builder("sleep")
                                        .id("demo-" + i)
                                        .payloadJson("{\"ms\":5}")
                                        .build();
                        default -> TaskSpec.builder("noop").id("demo-" + i).priority(1).build();
                    });
        }
        long start = System.nanoTime();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(tasks);
        List<CompletableFuture<?>> all = new ArrayList<>();
        lc.client()
                .submitAll(specs)
                .forEach(
                        f ->
                                all.add(
                                        f.thenCompose(r -> lc.client().whenDone(r.taskId(), null))
                                                .whenComplete(
                                                        (TaskStatus s, Throwable e) -> {
                                                            if (e != null) {
                                                                rejected.incrementAndGet();
                                                            } else if (s.state()
                                                                    == TaskState.SUCCEEDED) {
                                                                succeeded.incrementAndGet();
                                                            } else {
                                                                failed.incrementAndGet();
                                                            }
                                                            done.countDown();
                                                        })));
        out.printf("submitted %d demo tasks%n", tasks);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (!done.await(1, TimeUnit.SECONDS) && System.nanoTime() < deadline) {
            out.printf(
                    "  %d/%d done (%d succeeded, %d failed)%n",
                    tasks - done.getCount(), tasks, succeeded.get(), failed.get());
            out.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int submitted = tasks - rejected.get();
        long lost = done.getCount();
        out.printf(
                "%d submitted, %d succeeded, %d failed, %d lost in %.1f s%n",
                submitted, succeeded.get(), failed.get(), lost, seconds);
        out.flush();
        return succeeded.get() == tasks ? 0 : 1;
    }
}
