package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.testing.DropwizardTestSupport;
import io.drover.client.DroverClient;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.model.WorkerState;
import io.drover.server.testing.PluginJars;
import io.drover.testkit.Processes;
import io.drover.testkit.ZooKeeperServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class WorkerServerTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    @TempDir Path dir;

    private DropwizardTestSupport<WorkerServerConfig> support;
    private DroverClient client;
    private String cluster;
    private io.drover.coordinator.Coordinator coordinator;

    @AfterEach
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
        if (client != null) {
            client.close();
        }
        if (support != null) {
            support.after();
        }
    }

    private WorkerServer start(String cluster, Consumer<WorkerServerConfig.Settings> tweak)
            throws Exception {
        WorkerServerConfig config = new WorkerServerConfig();
        config.cluster = cluster;
        this.cluster = cluster;
        config.zooKeeper.setConnectString(ZK.connectString());
        config.worker.id = "w-" + cluster;
        io.drover.server.testing.ServerHarness.onFreePorts(config);
        tweak.accept(config.worker);
        support = new DropwizardTestSupport<>(WorkerServer.class, config);
        support.before();
        client = DroverClient.connect(ZK.connectString(), cluster);
        coordinator =
                io.drover.coordinator.Coordinator.builder()
                        .connectString(ZK.connectString())
                        .cluster(cluster)
                        .build();
        coordinator.start();
        coordinator.whenLeaderReady().get(30, java.util.concurrent.TimeUnit.SECONDS);
        return support.getApplication();
    }

    private TaskStatus run(TaskSpec spec) throws Exception {
        client.submit(spec).join();
        return client.await(spec.id(), Duration.ofSeconds(30));
    }

    /**
     * A plugin compiled here, so its class exists only inside the jar: the worker must load it from
     * the plugins folder.
     */
    private static final String PLUGIN_SOURCE =
            """
            package drover.testplugin;
            public final class UpperCasePlugin implements io.drover.worker.TaskHandlerPlugin {
                public java.util.Map<String, io.drover.worker.TaskHandler> handlers() {
                    return java.util.Map.of("upper", ctx -> ctx.payload().asText().toUpperCase(java.util.Locale.ROOT));
                }

                public io.drover.worker.ItemHandler itemHandler() {
                    return new io.drover.worker.ItemHandler() {
                        public void load(io.drover.worker.Item item) {
                            if (!item.id().startsWith("upper-")) {
                                throw new IllegalArgumentException("this plugin serves upper-* items only");
                            }
                        }

                        public void drop(io.drover.worker.Item item) {}
                    };
                }
            }
            """;

    @Test
    void pluginJarInThePluginsFolder_addsItsTaskHandlers_andItsItemHandler() throws Exception {
        PluginJars.build(
                PluginJars.folder(dir.resolve("plugins")).resolve("upper.jar"),
                "drover.testplugin.UpperCasePlugin",
                Map.of("drover.testplugin.UpperCasePlugin", PLUGIN_SOURCE));
        assertThatThrownBy(() -> Class.forName("drover.testplugin.UpperCasePlugin"))
                .as("not on the test classpath")
                .isInstanceOf(ClassNotFoundException.class);
        WorkerServer app = start("plugins", s -> s.pluginsDir = dir.resolve("plugins").toString());

        TaskStatus done =
                run(TaskSpec.builder("upper").id("u-1").payloadJson("\"drover\"").build());
        assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(done.result().asText()).isEqualTo("DROVER");
        assertThat(run(TaskSpec.builder("echo").id("e-1").payloadJson("1").build()).state())
                .isEqualTo(TaskState.SUCCEEDED);
        client.items().put(io.drover.model.ItemSpec.of("upper-1", 1));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> app.worker().servedItems().contains("upper-1"));
    }

    @Test
    void relativePluginsDir_stopsTheWorkerAtStart_namingTheField() {
        assertThatThrownBy(() -> start("relative", s -> s.pluginsDir = "plugins"))
                .satisfies(
                        e ->
                                assertThat(io.drover.server.internal.QuietServerCommand.describe(e))
                                        .contains(
                                                "worker.pluginsDir must be an absolute path, was"
                                                        + " 'plugins'"));
    }

    @Test
    void shellTask_thatTimesOut_isKilled_withWhatItStarted() throws Exception {
        start("shell-timeout", s -> s.allowedCommands = List.of("/bin/sleep"));
        TaskStatus timedOut =
                run(
                        TaskSpec.builder("shell")
                                .id("s-slow")
                                .maxAttempts(1)
                                .timeoutMs(500)
                                .payloadJson("{\"command\":\"/bin/sleep\",\"args\":[\"4321\"]}")
                                .build());
        assertThat(timedOut.state()).isEqualTo(TaskState.FAILED);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> Processes.noneRunning("sleep 4321"));
    }

    @Test
    void noShellHandler_unlessTheConfigAllowsCommands() throws Exception {
        start("noshell", s -> {});
        assertThat(workerTypes()).doesNotContain("shell").contains("echo", "noop", "sleep", "fail");
    }

    @Test
    void shellHandler_runsOnlyAllowedPrograms_withoutAShell() throws Exception {
        start("shell", s -> s.allowedCommands = List.of("/bin/echo"));
        assertThat(workerTypes()).contains("shell");

        TaskStatus ok =
                run(
                        TaskSpec.builder("shell")
                                .id("s-ok")
                                .payloadJson(
                                        "{\"command\":\"/bin/echo\",\"args\":[\"hi\",\"$HOME;\"]}")
                                .build());
        assertThat(ok.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(ok.result().get("output").asText())
                .isEqualTo("hi $HOME;\n"); // no shell expanded anything

        TaskStatus refused =
                run(
                        TaskSpec.builder("shell")
                                .id("s-no")
                                .maxAttempts(3)
                                .payloadJson("{\"command\":\"rm\",\"args\":[\"-rf\",\"/\"]}")
                                .build());
        assertThat(refused.state()).isEqualTo(TaskState.FAILED);
        assertThat(refused.attempt()).as("refusal is permanent, not retried").isEqualTo(1);
        assertThat(refused.error()).contains("allowedCommands");
    }

    @Test
    void stoppingTheServer_handsBackRunningTasks_forAnotherWorker() throws Exception {
        WorkerServer app = start("handback", s -> {});
        client.submit(TaskSpec.builder("sleep").id("long").payloadJson("{\"ms\":600000}").build())
                .join();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> app.worker().runningCount() == 1);
        assertThat(app.worker().state()).isEqualTo(WorkerState.ACTIVE);

        support.after(); // what SIGTERM does: Jetty stops the managed worker
        support = null;
        TaskStatus back = client.status("long").join();
        assertThat(back.state()).isEqualTo(TaskState.PENDING);
        assertThat(back.attempt()).as("a hand-back is not a failed attempt").isEqualTo(1);
    }

    private List<String> workerTypes() throws Exception {
        byte[] data =
                ZK.newClient()
                        .getData()
                        .forPath(
                                new io.drover.model.DroverPaths(cluster)
                                        .worker(
                                                ((WorkerServer) support.getApplication())
                                                        .worker()
                                                        .id()));
        return io.drover.model.DroverJson.decode("worker", data, io.drover.model.WorkerInfo.class)
                .taskTypes();
    }
}
