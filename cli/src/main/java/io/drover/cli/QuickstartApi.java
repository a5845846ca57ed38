package io.drover.cli;

import io.drover.server.CoordinatorServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * The quickstart's HTTP API: a standby coordinator server in the same JVM, so the CLI works against
 * the demo cluster.
 */
final class QuickstartApi {
    private QuickstartApi() {}

    /**
     * The running server, or null (said on {@code out}) when it cannot start, e.g. its port is
     * taken: the demo runs without it.
     */
    static CoordinatorServer start(
            String connectString, String cluster, int port, File dataDir, java.io.PrintWriter out)
            throws Exception {
        File config = new File(dataDir, "quickstart-api.yml");
        Files.writeString(
                config.toPath(),
                String.join(
                        "\n",
                        "cluster: " + cluster,
                        "zooKeeper:",
                        "  connectString: " + connectString,
                        "coordinator:",
                        "  id: quickstart-api",
                        "server:",
                        "  applicationConnectors:",
                        "    - type: http",
                        "      bindHost: 127.0.0.1",
                        "      port: " + port,
                        "  adminConnectors:",
                        "    - type: http",
                        "      bindHost: 127.0.0.1",
                        "      port: 0",
                        "  requestLog:",
                        "    appenders: []",
                        "logging:",
                        "  level: WARN",
                        "  loggers:",
                        "    org.apache.zookeeper: ERROR",
                        "    org.apache.curator: ERROR",
                        "    io.dropwizard.core.cli.ServerCommand: \"OFF\"",
                        "  appenders:",
                        "    - type: console",
                        "      target: stderr",
                        ""),
                StandardCharsets.UTF_8);
        CoordinatorServer server = CoordinatorServer.embedded();
        try {
            server.run("server", config.getPath()); // returns once Jetty listens
            return server;
        } catch (IllegalStateException e) { // Dropwizard has printed why (one line)
            out.printf(
                    "No HTTP API on port %d (the reason is above; --api-port picks another, 0 any free one); the demo runs without it%n",
                    port);
            return null;
        }
    }

    static void stop(CoordinatorServer server) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            // shutting down anyway
        }
    }
}
