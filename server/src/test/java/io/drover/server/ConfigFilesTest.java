package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example configs in config/ parse and validate as shipped; a bad file is refused naming the
 * field.
 */
class ConfigFilesTest {
    private static <T> T read(Class<T> type, String path) throws Exception {
        return new YamlConfigurationFactory<>(
                        type, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(
                        new SubstitutingSourceProvider(
                                new FileConfigurationSourceProvider(),
                                new EnvironmentVariableSubstitutor(false)),
                        path);
    }

    @Test
    void exampleCoordinatorConfig_isValid_withItsDefaults() throws Exception {
        CoordinatorServerConfig c =
                read(CoordinatorServerConfig.class, "../config/coordinator.yml");
        assertThat(c.cluster).isEqualTo(System.getenv().getOrDefault("DROVER_CLUSTER", "default"));
        assertThat(c.zooKeeper.getSessionTimeout().toSeconds()).isPositive();
        assertThat(c.api.maxBatchSize).isEqualTo(1_000);
        assertThat(c.security.insecure).as("secure by default").isFalse();
    }

    @Test
    void exampleWorkerConfig_isValid_andAllowsNoShellCommands() throws Exception {
        WorkerServerConfig w = read(WorkerServerConfig.class, "../config/worker.yml");
        assertThat(w.worker.allowedCommands).isEmpty();
        assertThat(w.worker.demoHandlers)
                .as("production examples ship with the demo handlers off")
                .isEqualTo("true".equals(System.getenv("DROVER_DEMO_HANDLERS")));
    }

    @Test
    void exampleWorkerConfig_loadsNoPlugins_unlessDroverPluginsDirNamesAFolder() throws Exception {
        WorkerServerConfig w = read(WorkerServerConfig.class, "../config/worker.yml");
        assertThat(java.util.Objects.toString(w.worker.pluginsDir, ""))
                .as("an empty ${DROVER_PLUGINS_DIR:-} reads as no folder")
                .isEqualTo(System.getenv().getOrDefault("DROVER_PLUGINS_DIR", ""));
        assertThat(w.worker.pluginSha256).isEmpty();
    }

    @Test
    void badPluginPin_isRefused_namingTheField(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("worker.yml");
        Files.writeString(
                bad,
                "worker:\n  pluginSha256: {alpha.jar: ABC123, 'lib/beta.jar': '"
                        + "0".repeat(64)
                        + "'}\n");
        assertThatThrownBy(() -> read(WorkerServerConfig.class, bad.toString()))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining(
                        "worker.pluginSha256[alpha.jar].<map value> must be a SHA-256 in lower-case"
                                + " hex")
                .hasMessageContaining(
                        "worker.pluginSha256<K>[lib/beta.jar].<map key> must be a jar's file name"
                                + " (no folder)")
                .hasMessageNotContaining("[lib/beta.jar].<map value>");
    }

    @Test
    void badConfig_isRefused_namingEachBadField(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yml");
        Files.writeString(
                bad,
                "cluster: 'no spaces allowed'\nzooKeeper:\n  connectString: ''\n  sessionTimeout: 100ms\napi:\n  maxBatchSize: 0\n");
        assertThatThrownBy(() -> read(CoordinatorServerConfig.class, bad.toString()))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("cluster must be 1-64 letters")
                .hasMessageContaining("zooKeeper.connectString must not be empty")
                .hasMessageContaining(
                        "zooKeeper.sessionTimeout must be greater than or equal to 1 SECONDS")
                .hasMessageContaining("api.maxBatchSize must be greater than or equal to 1");
    }

    @Test
    void blankShellProgramOrEnvironmentName_isRefused_namingTheField(@TempDir Path dir)
            throws Exception {
        Path bad = dir.resolve("worker.yml");
        Files.writeString(
                bad, "worker:\n  allowedCommands: ['']\n  commandEnvironment: [HOME, ' ']\n");
        assertThatThrownBy(() -> read(WorkerServerConfig.class, bad.toString()))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("worker.allowedCommands[0].<list element> must not be blank")
                .hasMessageContaining(
                        "worker.commandEnvironment[1].<list element> must not be blank");
    }
}
