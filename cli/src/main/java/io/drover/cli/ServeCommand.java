package io.drover.cli;

import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.drover.server.CoordinatorServer;
import io.drover.server.WorkerServer;
import java.io.File;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code drover coordinator CONFIG.yml} and {@code drover worker CONFIG.yml}: run a server until
 * SIGTERM.
 */
abstract class ServeCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "CONFIG.yml",
            description = "The server's config file (see config/ for examples).")
    File config;

    abstract Supplier<Application<? extends Configuration>> application();

    @Override
    public Integer call() throws Exception {
        if (!config.isFile()) {
            throw new IllegalArgumentException(
                    "config file " + config + " does not exist; see config/ for examples");
        }
        // Dropwizard prints config errors itself and exits non-zero; on success it returns with
        // Jetty running.
        application().get().run("server", config.getPath());
        // SIGTERM runs Jetty's shutdown hook, which stops the managed components (the worker hands
        // back, the leader yields) before the JVM exits; until then this thread just waits.
        new CountDownLatch(1).await();
        return 0;
    }

    @Command(
            name = "coordinator",
            mixinStandardHelpOptions = true,
            description = {
                "Runs a coordinator server: leader or standby, with the HTTP API v1 on the application port",
                "and /healthcheck, /metrics and /prometheus on the admin port. SIGTERM makes a leader yield at once."
            },
            footer = {
                "",
                "Examples:",
                "  drover coordinator config/coordinator.yml",
                "  DROVER_ZK_CONNECT=zk1:2181,zk2:2181 DROVER_HTTP_PORT=9080 drover coordinator config/coordinator.yml"
            })
    static final class Coordinator extends ServeCommand {
        @Override
        Supplier<Application<? extends Configuration>> application() {
            return CoordinatorServer::new;
        }
    }

    @Command(
            name = "worker",
            mixinStandardHelpOptions = true,
            description = {
                "Runs a standalone worker server with the demo handlers, the plugin jars of worker.pluginsDir,",
                "and (only if its config lists programs) the shell handler. SIGTERM hands running tasks back."
            },
            footer = {
                "",
                "Examples:",
                "  drover worker config/worker.yml",
                "  DROVER_WORKER_ID=w7 DROVER_ADMIN_PORT=9091 drover worker config/worker.yml"
            })
    static final class Worker extends ServeCommand {
        @Override
        Supplier<Application<? extends Configuration>> application() {
            return WorkerServer::new;
        }
    }
}
