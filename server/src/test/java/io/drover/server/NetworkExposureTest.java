package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.testing.DropwizardTestSupport;
import io.drover.server.internal.NetworkExposure;
import io.drover.server.testing.ServerHarness;
import org.junit.jupiter.api.Test;

/** Secure by default: with no authentication, nothing listens beyond loopback unless asked to. */
class NetworkExposureTest {
    private static HttpConnectorFactory connector(DroverServerConfig config, boolean admin) {
        DefaultServerFactory f = (DefaultServerFactory) config.getServerFactory();
        return (HttpConnectorFactory)
                (admin ? f.getAdminConnectors() : f.getApplicationConnectors()).get(0);
    }

    @Test
    void noBindHostGiven_bothConnectorsBindToLoopback() {
        CoordinatorServerConfig config = new CoordinatorServerConfig();
        assertThat(connector(config, false).getBindHost()).as("Dropwizard's default").isNull();

        NetworkExposure.apply(config);

        assertThat(connector(config, false).getBindHost()).isEqualTo("127.0.0.1");
        assertThat(connector(config, true).getBindHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void everyInterfaceWithoutAuthentication_refusesToStart_sayingWhichConnectorAndWhatToDo() {
        WorkerServerConfig config = new WorkerServerConfig();
        connector(config, true).setBindHost("0.0.0.0");

        assertThatThrownBy(() -> NetworkExposure.apply(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "server.adminConnectors[0] binds to 0.0.0.0 without authentication: bind to"
                                + " 127.0.0.1, name a security.principalsFile, or set"
                                + " security.insecure: true to expose it on purpose");
    }

    @Test
    void loopbackNamesAndAddresses_areAccepted() {
        for (String host : new String[] {"127.0.0.1", "localhost", "::1", "127.0.1.1"}) {
            CoordinatorServerConfig config = new CoordinatorServerConfig();
            connector(config, false).setBindHost(host);
            NetworkExposure.apply(config);
            assertThat(connector(config, false).getBindHost()).as(host).isEqualTo(host);
        }
    }

    @Test
    void insecureOnPurpose_exposesWhatTheConfigSays() {
        CoordinatorServerConfig config = new CoordinatorServerConfig();
        config.security.insecure = true;
        connector(config, false).setBindHost("0.0.0.0");

        NetworkExposure.apply(config);

        assertThat(connector(config, false).getBindHost()).isEqualTo("0.0.0.0");
        assertThat(connector(config, true).getBindHost())
                .as("left to Dropwizard: every interface")
                .isNull();
    }

    @Test
    void withAPrincipalsFile_everyInterfaceIsAllowed() {
        CoordinatorServerConfig config = new CoordinatorServerConfig();
        config.security.principalsFile = "/etc/drover/principals.yml";
        connector(config, false).setBindHost("0.0.0.0");

        NetworkExposure.apply(config);

        assertThat(connector(config, false).getBindHost()).isEqualTo("0.0.0.0");
    }

    /** The check runs inside the server's start, before anything listens or connects. */
    @Test
    void coordinatorServer_boundEverywhereWithoutAuthentication_doesNotStart() {
        CoordinatorServerConfig config = new CoordinatorServerConfig();
        config.zooKeeper.setConnectString("127.0.0.1:1"); // never reached
        ServerHarness.onFreePorts(config);
        connector(config, false).setBindHost("0.0.0.0");
        DropwizardTestSupport<CoordinatorServerConfig> server =
                new DropwizardTestSupport<>(CoordinatorServer.class, config);
        try {
            assertThatThrownBy(server::before)
                    .hasMessageContaining(
                            "server.applicationConnectors[0] binds to 0.0.0.0 without"
                                    + " authentication");
        } finally {
            server.after();
        }
    }
}
