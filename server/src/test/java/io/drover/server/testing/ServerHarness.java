package io.drover.server.testing;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.testing.DropwizardTestSupport;
import io.drover.server.CoordinatorServer;
import io.drover.server.CoordinatorServerConfig;
import io.drover.worker.Worker;
import io.drover.worker.WorkerBuilder;
import io.drover.worker.demo.DemoHandlers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A real coordinator server (Dropwizard, on free ports) against a real ZooKeeper, plus in-process
 * workers with the demo handlers, and a tiny HTTP client for tests. Shared by the server's and the
 * CLI's tests (test-jar). Close it to stop everything.
 */
public final class ServerHarness implements AutoCloseable {
    private final String connectString;
    private final String cluster;
    private final DropwizardTestSupport<CoordinatorServerConfig> support;
    private final List<Worker> workers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private ServerHarness(
            String connectString, String cluster, Consumer<CoordinatorServerConfig> tweak) {
        this.connectString = connectString;
        this.cluster = cluster;
        CoordinatorServerConfig config = new CoordinatorServerConfig();
        config.cluster = cluster;
        config.zooKeeper.setConnectString(connectString);
        config.coordinator.id = "coordinator-" + cluster;
        config.coordinator.reconcileInterval = io.dropwizard.util.Duration.milliseconds(500);
        onFreePorts(config);
        tweak.accept(config);
        this.support = new DropwizardTestSupport<>(CoordinatorServer.class, config);
    }

    /**
     * An HTTPS application connector on a free loopback port with {@code keyStore} (PKCS12,
     * password {@code password}); with a {@code trustStore}, it asks for client certificates too
     * (wanted, not needed, so that token callers work).
     */
    public static void httpsOnly(
            CoordinatorServerConfig config,
            java.nio.file.Path keyStore,
            java.nio.file.Path trustStore,
            String password) {
        io.dropwizard.jetty.HttpsConnectorFactory https =
                new io.dropwizard.jetty.HttpsConnectorFactory();
        https.setPort(0);
        https.setBindHost("127.0.0.1");
        https.setKeyStorePath(keyStore.toString());
        https.setKeyStorePassword(password);
        https.setKeyStoreType("PKCS12");
        if (trustStore != null) {
            https.setTrustStorePath(trustStore.toString());
            https.setTrustStorePassword(password);
            https.setTrustStoreType("PKCS12");
            https.setWantClientAuth(true);
        }
        ((DefaultServerFactory) config.getServerFactory())
                .setApplicationConnectors(java.util.List.of(https));
    }

    /** Both connectors on free ports, no request log: for servers started by tests. */
    public static void onFreePorts(io.dropwizard.core.Configuration config) {
        DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();
        ((HttpConnectorFactory) server.getApplicationConnectors().get(0)).setPort(0);
        ((HttpConnectorFactory) server.getAdminConnectors().get(0)).setPort(0);
        server.setRequestLogFactory(null);
    }

    /**
     * Starts a coordinator server for a fresh cluster (its own ZooKeeper root) and waits until it
     * leads.
     */
    public static ServerHarness start(String connectString, String cluster) throws Exception {
        return start(connectString, cluster, c -> {});
    }

    public static ServerHarness start(
            String connectString, String cluster, Consumer<CoordinatorServerConfig> tweak)
            throws Exception {
        ServerHarness h = new ServerHarness(connectString, cluster, tweak);
        h.support.before();
        CoordinatorServer app = h.support.getApplication();
        app.coordinator().whenLeaderReady().get(30, java.util.concurrent.TimeUnit.SECONDS);
        return h;
    }

    /**
     * Starts one more coordinator server for a cluster that already has one, as {@code id}, without
     * waiting for it to lead (it stands by).
     */
    public static ServerHarness standby(String connectString, String cluster, String id)
            throws Exception {
        return standby(connectString, cluster, id, c -> {});
    }

    public static ServerHarness standby(
            String connectString,
            String cluster,
            String id,
            Consumer<CoordinatorServerConfig> tweak)
            throws Exception {
        ServerHarness h =
                new ServerHarness(
                        connectString,
                        cluster,
                        c -> {
                            c.coordinator.id = id;
                            tweak.accept(c);
                        });
        h.support.before();
        return h;
    }

    /**
     * The API on a port chosen beforehand, so that the coordinator announces its address for
     * discovery (a port 0 has none before it starts).
     */
    public static void apiOnPort(CoordinatorServerConfig config, int port) {
        DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();
        ((HttpConnectorFactory) server.getApplicationConnectors().get(0)).setPort(port);
    }

    /** Starts an in-process worker with the demo handlers. */
    public Worker startWorker(String id, int capacity) {
        return startWorker(id, capacity, b -> {});
    }

    public Worker startWorker(String id, int capacity, Consumer<WorkerBuilder> tweak) {
        WorkerBuilder b =
                Worker.builder()
                        .connectString(connectString)
                        .cluster(cluster)
                        .id(id)
                        .capacity(capacity)
                        .shutdownTimeout(Duration.ofSeconds(5));
        DemoHandlers.all().forEach(b::handler);
        tweak.accept(b);
        Worker w = b.build();
        w.start();
        workers.add(w);
        return w;
    }

    public String url() {
        return "http://127.0.0.1:" + support.getLocalPort();
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + support.getAdminPort();
    }

    public CoordinatorServer app() {
        return support.getApplication();
    }

    public HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).GET().build());
    }

    public HttpResponse<String> post(String path, String json) throws Exception {
        return send("POST", path, "application/json", json);
    }

    public HttpResponse<String> send(String method, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create(url() + path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        return send(r.build());
    }

    /**
     * A server may close a kept-alive connection right after a response (for one, when it did not
     * read the request's body, as after some 4xx answers); the JDK client can pick that pooled
     * connection for the next request just as it closes, and gets no byte back ("header parser
     * received no bytes"). Seen once in a suite run. No byte came back, so the request is sent
     * again, once, on a fresh connection: the fault is the stale connection, not the server under
     * test.
     */
    public HttpResponse<String> send(HttpRequest request) throws Exception {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw e;
            }
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    @Override
    public void close() {
        workers.forEach(Worker::close);
        support.after();
    }
}
