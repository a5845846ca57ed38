package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.DropwizardTestSupport;
import io.drover.model.DroverJson;
import io.drover.server.testing.Exposition;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real coordinator server and a real worker server in one JVM, each scraped on its own {@code
 * /prometheus}: the numbers follow the tasks that ran, and every metric the Grafana dashboard asks
 * for is there, so the dashboard cannot drift from the code.
 */
class PrometheusMetricsTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    /** The dashboard that docker/docker-compose.yml provisions. */
    static final Path DASHBOARD = Path.of("..", "docker", "grafana", "dashboards", "drover.json");

    private static final Pattern METRIC = Pattern.compile("\\b((?:drover|jvm|process)_\\w+)");

    private ServerHarness coordinator;
    private DropwizardTestSupport<WorkerServerConfig> worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.after();
        }
        if (coordinator != null) {
            coordinator.close();
        }
    }

    private void startBoth(String cluster) throws Exception {
        coordinator = ServerHarness.start(ZK.connectString(), cluster);
        WorkerServerConfig config = new WorkerServerConfig();
        config.cluster = cluster;
        config.zooKeeper.setConnectString(ZK.connectString());
        config.worker.id = "w-" + cluster;
        ServerHarness.onFreePorts(config);
        worker = new DropwizardTestSupport<>(WorkerServer.class, config);
        worker.before();
    }

    private Exposition scrape(String adminUrl) throws Exception {
        var response =
                coordinator.send(
                        HttpRequest.newBuilder(URI.create(adminUrl + "/prometheus")).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/plain; version=0.0.4");
        return Exposition.parse(response.body());
    }

    private String workerAdminUrl() {
        return "http://127.0.0.1:" + worker.getAdminPort();
    }

    private String submit(String json) throws Exception {
        var r = coordinator.post("/v1/tasks", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return DroverJson.mapper().readTree(r.body()).get("id").asText();
    }

    private void awaitState(String id, String state) {
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                DroverJson.mapper()
                                        .readTree(coordinator.get("/v1/tasks/" + id).body())
                                        .path("state")
                                        .asText(),
                        state::equals);
    }

    /** Metric names in the dashboard's PromQL expressions. */
    static Set<String> dashboardMetrics() throws Exception {
        JsonNode dashboard = DroverJson.mapper().readTree(Files.readString(DASHBOARD));
        List<String> exprs = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
        Set<String> names = new TreeSet<>();
        for (String expr : exprs) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void tasksRunThroughBothServers_countInTheirHistograms_andFeedEveryDashboardQuery()
            throws Exception {
        startBoth("metrics");
        List<String> echoes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            echoes.add(submit("{\"type\":\"echo\",\"payload\":" + i + "}"));
        }
        String failing = submit("{\"type\":\"fail\",\"maxAttempts\":1}");
        String waiting = submit("{\"type\":\"unserved\"}");
        String cancelled = submit("{\"type\":\"unserved\"}");
        echoes.forEach(id -> awaitState(id, "SUCCEEDED"));
        awaitState(failing, "FAILED");
        assertThat(coordinator.post("/v1/tasks/" + cancelled + "/cancel", null).statusCode())
                .isEqualTo(202);
        awaitState(cancelled, "CANCELLED");

        Exposition w = scrape(workerAdminUrl());
        assertThat(w.value("drover_task_queue_wait_seconds_count", "type", "echo")).isEqualTo(3);
        assertThat(w.value("drover_task_queue_wait_seconds_count", "type", "fail")).isEqualTo(1);
        assertThat(w.value("drover_task_claim_latency_seconds_count", "type", "echo")).isEqualTo(3);
        assertThat(
                        w.value(
                                "drover_task_turnaround_seconds_count",
                                "type",
                                "echo",
                                "outcome",
                                "succeeded"))
                .isEqualTo(3);
        assertThat(
                        w.value(
                                "drover_task_turnaround_seconds_bucket",
                                "type",
                                "echo",
                                "outcome",
                                "succeeded",
                                "le",
                                "+Inf"))
                .isEqualTo(3);
        assertThat(w.value("drover_tasks_finished_total", "type", "fail", "outcome", "failed"))
                .isEqualTo(1);
        assertThat(w.value("drover_worker_attempts_total", "type", "echo", "event", "started"))
                .isEqualTo(3);
        assertThat(
                        w.value(
                                "drover_zookeeper_operation_duration_seconds_count",
                                "operation",
                                "multi"))
                .as("claims and commits are multis")
                .isGreaterThanOrEqualTo(8);
        assertThat(w.value("drover_zookeeper_watches")).isPositive();
        assertThat(w.value("drover_zookeeper_connected")).isEqualTo(1);
        assertThat(w.value("drover_worker_running_tasks")).isZero();

        Exposition c =
                await().atMost(Duration.ofSeconds(10))
                        .until(
                                () -> scrape(coordinator.adminUrl()),
                                s ->
                                        s.value(
                                                                "drover_tasks_pending",
                                                                java.util.Map.of(
                                                                        "type", "unserved"))
                                                        .orElse(-1.0)
                                                == 1);
        assertThat(c.value("drover_api_tasks_submitted_total", "type", "echo")).isEqualTo(3);
        assertThat(c.value("drover_api_tasks_submitted_total")).isEqualTo(6);
        assertThat(
                        c.value(
                                "drover_task_turnaround_seconds_count",
                                "type",
                                "unserved",
                                "outcome",
                                "cancelled"))
                .as("the leader wrote that end")
                .isEqualTo(1);
        assertThat(
                        c.value(
                                "drover_tasks_finished_total",
                                Map.of("type", "echo", "outcome", "succeeded")))
                .as("counted once, by the worker that wrote the end")
                .isEmpty();
        assertThat(c.value("drover_workers", "state", "active")).isEqualTo(1);
        assertThat(c.value("drover_coordinator_leader")).isEqualTo(1);
        assertThat(c.value("drover_coordinator_leadership_acquired_total")).isEqualTo(1);
        assertThat(c.value("drover_zookeeper_znodes", "folder", "status")).isEqualTo(6);
        assertThat(c.value("drover_zookeeper_znodes", "folder", "pending")).isEqualTo(1);
        assertThat(c.value("jvm_memory_used_bytes", "area", "heap")).isPositive();

        Set<String> scraped = new TreeSet<>(c.sampleNames());
        scraped.addAll(w.sampleNames());
        Set<String> wanted = dashboardMetrics();
        assertThat(wanted)
                .as("the dashboard's queries, read from " + DASHBOARD)
                .contains(
                        "drover_tasks_pending",
                        "drover_task_queue_wait_seconds_bucket",
                        "drover_zookeeper_operation_duration_seconds_bucket");
        assertThat(scraped).containsAll(wanted);
    }

    @Test
    void composeFile_scrapesEveryDroverServer_andProvisionsTheDashboardOnThatPrometheus()
            throws Exception {
        Path docker = Path.of("..", "docker");
        var yaml =
                new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        JsonNode services =
                yaml.readTree(docker.resolve("docker-compose.yml").toFile()).get("services");
        Set<String> droverAdmins = new TreeSet<>();
        for (var s : services.properties()) {
            String role = s.getValue().path("command").path(0).asText();
            if (role.equals("coordinator") || role.equals("worker")) {
                String port = s.getValue().path("environment").path("DROVER_ADMIN_PORT").asText();
                droverAdmins.add(s.getKey() + ":" + port);
            }
        }
        assertThat(droverAdmins).hasSize(5);

        JsonNode prometheus = yaml.readTree(docker.resolve("prometheus/prometheus.yml").toFile());
        Set<String> targets = new TreeSet<>();
        for (JsonNode job : prometheus.get("scrape_configs")) {
            assertThat(job.path("metrics_path").asText()).isEqualTo("/prometheus");
            job.findValues("targets").forEach(t -> t.forEach(x -> targets.add(x.asText())));
        }
        assertThat(targets).isEqualTo(droverAdmins);

        for (String service : List.of("prometheus", "grafana")) {
            for (JsonNode volume : services.get(service).get("volumes")) {
                Path mounted = docker.resolve(volume.asText().split(":")[0]);
                assertThat(mounted).as(service + " mounts " + mounted).exists();
            }
        }
        JsonNode datasource =
                yaml.readTree(
                                docker.resolve("grafana/provisioning/datasources/prometheus.yml")
                                        .toFile())
                        .get("datasources")
                        .get(0);
        assertThat(datasource.get("url").asText()).isEqualTo("http://prometheus:9090");
        JsonNode dashboard = DroverJson.mapper().readTree(Files.readString(DASHBOARD));
        assertThat(dashboard.findValues("uid"))
                .extracting(JsonNode::asText)
                .contains(datasource.get("uid").asText());
        assertThat(dashboard.findValues("datasource"))
                .allSatisfy(
                        d ->
                                assertThat(d.path("uid").asText())
                                        .isEqualTo(datasource.get("uid").asText()));
    }
}
