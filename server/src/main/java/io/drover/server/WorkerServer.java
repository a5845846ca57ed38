package io.drover.server;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.drover.model.WorkerState;
import io.drover.server.internal.HistoryRecorder;
import io.drover.server.internal.ManagedCurator;
import io.drover.server.internal.PluginLoader;
import io.drover.server.internal.ServerSupport;
import io.drover.server.internal.ShellHandler;
import io.drover.server.internal.http.WorkerResource;
import io.drover.server.internal.metrics.WorkerMetrics;
import io.drover.worker.ItemHandler;
import io.drover.worker.TaskHandler;
import io.drover.worker.Worker;
import io.drover.worker.WorkerBuilder;
import io.drover.worker.demo.DemoHandlers;
import io.drover.worker.demo.DemoItems;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;

/**
 * The standalone worker server: the embeddable {@link Worker} wrapped with a config file, plugin
 * loading, health checks and metrics. On SIGTERM the worker hands its running tasks back, so they
 * run elsewhere at once.
 *
 * <p>Run with {@code drover worker CONFIG.yml}.
 */
public final class WorkerServer extends DroverApplication<WorkerServerConfig> {
    private final AtomicReference<Worker> worker = new AtomicReference<>();

    @Override
    public String getName() {
        return "drover-worker";
    }

    /** The running worker once the server has started (for tests and embedding). */
    public Worker worker() {
        return worker.get();
    }

    @Override
    public void run(WorkerServerConfig config, Environment env) {
        ManagedCurator zk = ServerSupport.common(config, env);
        CuratorFramework client = zk.client();
        WorkerServerConfig.Settings s = config.worker;
        Map<String, TaskHandler> handlers = new LinkedHashMap<>();
        ItemHandler items = handlers(s, handlers);
        if (handlers.isEmpty() && items == null) {
            throw new IllegalArgumentException(
                    "the worker has no handlers: set worker.demoHandlers or worker.demoItems, add plugin"
                            + " jars to worker.pluginsDir, or list worker.allowedCommands");
        }
        WorkerBuilder b =
                Worker.builder()
                        .client(client)
                        .cluster(config.cluster)
                        .capacity(s.capacity)
                        .shutdownTimeout(Duration.ofMillis(s.shutdownTimeout.toMilliseconds()))
                        .cancelGrace(Duration.ofMillis(s.cancelGrace.toMilliseconds()))
                        .drainGrace(Duration.ofMillis(s.drainGrace.toMilliseconds()))
                        .progressInterval(Duration.ofMillis(s.progressInterval.toMilliseconds()));
        if (s.id != null && !s.id.isEmpty()) {
            b.id(s.id);
        }
        s.labels.forEach(b::label);
        handlers.forEach(b::handler);
        if (items != null) {
            b.itemHandler(items)
                    .itemConcurrency(s.itemConcurrency)
                    .itemTimeout(Duration.ofMillis(s.itemTimeout.toMilliseconds()))
                    .itemRetries(s.itemMaxAttempts, Duration.ofSeconds(1));
        }
        Worker w = b.build();
        WorkerMetrics.install(env, w);
        HistoryRecorder history =
                s.historyFile == null || s.historyFile.isEmpty() ? null : history(s.historyFile, w);

        env.lifecycle()
                .manage(
                        new Managed() {
                            @Override
                            public void start() {
                                w.start();
                                worker.set(w);
                                zk.closeBefore(
                                        () -> {
                                            // hands back running attempts: they run elsewhere
                                            // without waiting for a session timeout
                                            w.close();
                                            if (history != null) {
                                                history.close();
                                            }
                                        });
                            }

                            @Override
                            public void stop() {
                                zk.stopOnce();
                            }
                        });
        env.jersey().register(new WorkerResource(w));
        env.healthChecks()
                .register(
                        "worker",
                        new HealthCheck() {
                            @Override
                            protected Result check() {
                                String text =
                                        w.state()
                                                + ", "
                                                + w.runningCount()
                                                + "/"
                                                + s.capacity
                                                + " running";
                                return w.state() == WorkerState.ACTIVE
                                                || w.state() == WorkerState.DRAINING
                                        ? Result.healthy(text)
                                        : Result.unhealthy(text);
                            }
                        });
    }

    private static HistoryRecorder history(String file, Worker w) {
        try {
            HistoryRecorder h = new HistoryRecorder(java.nio.file.Path.of(file), w.id());
            w.addListener(h);
            return h;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(
                    "worker.historyFile " + file + " cannot be written: " + e.getMessage(), e);
        }
    }

    /**
     * Fills {@code handlers} from the demo handlers, the shell handler and the plugins; returns the
     * item handler, if any.
     */
    private static ItemHandler handlers(
            WorkerServerConfig.Settings s, Map<String, TaskHandler> handlers) {
        Map<String, String> sources = new LinkedHashMap<>();
        if (s.demoHandlers) {
            DemoHandlers.all()
                    .forEach(
                            (type, h) -> {
                                handlers.put(type, h);
                                sources.put(type, "the demo handlers");
                            });
        }
        if (!s.allowedCommands.isEmpty()) {
            handlers.put(
                    "shell",
                    new ShellHandler(
                            s.allowedCommands,
                            (int) s.maxCommandOutput.toBytes(),
                            java.time.Duration.ofMillis(s.maxCommandRunTime.toMilliseconds()),
                            s.commandEnvironment));
            sources.put("shell", "the shell handler");
        }
        ItemHandler plugged = PluginLoader.load(s.pluginsDir, s.pluginSha256, handlers, sources);
        if (plugged != null && s.demoItems) {
            throw new IllegalArgumentException(
                    "worker.demoItems is on and a plugin in "
                            + s.pluginsDir
                            + " provides an item handler; a worker has one: turn worker.demoItems off");
        }
        return plugged != null ? plugged : s.demoItems ? new DemoItems() : null;
    }

    public static void main(String[] args) throws Exception {
        new WorkerServer().run(args);
    }
}
