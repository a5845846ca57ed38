package io.drover.cli;

import io.drover.server.CoordinatorServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** The quickstart's HTTP API: a standby coordinator server in the same JVM, so the CLI works against the demo cluster. */
final class QuickstartApi {
    private QuickstartApi() {}

    static CoordinatorServer start(String connectString, String cluster, int port, File dataDir) throws Exception {
        File config = new File(dataDir, "quickstart-api.yml");
        Files.writeString(config.toPath(), String.join("\n",
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
                "  appenders:",
                "    - type: console",
                "      target: stderr",
                ""), StandardCharsets.UTF_8);
        CoordinatorServer server = CoordinatorServer.embedded();
        server.run("server", config.getPath()); // returns once Jetty listens
        return server;
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
