package io.drover.server.internal;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.jetty.HttpsConnectorFactory;
import io.drover.server.DroverServerConfig;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secure by default: with no authentication (no {@code security.principalsFile}), nothing listens
 * beyond loopback unless the operator says so. Applied to the config before Dropwizard builds the
 * server from it: a connector without a {@code bindHost} (Dropwizard's default is every interface)
 * gets 127.0.0.1, and one bound to any other address stops the start with one line naming it,
 * unless {@code security.insecure} is set.
 */
public final class NetworkExposure {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkExposure.class);
    private static final String LOOPBACK = "127.0.0.1";

    private NetworkExposure() {}

    /**
     * @throws IllegalStateException when a connector binds beyond loopback without {@code
     *     security.insecure}; retrying does not help, the config has to change
     */
    public static void apply(DroverServerConfig config) {
        boolean insecure = config.security.insecure;
        boolean authenticated = config.security.authenticated();
        for (Map.Entry<String, ConnectorFactory> c :
                connectors(config.getServerFactory()).entrySet()) {
            if (!(c.getValue() instanceof HttpConnectorFactory http)) {
                continue;
            }
            String host = http.getBindHost();
            if (authenticated) {
                if (!(http instanceof HttpsConnectorFactory)
                        && (host == null || !isLoopback(host))) {
                    LOG.warn(
                            "{} is plain HTTP beyond loopback: tokens cross the network in clear;"
                                    + " use type: https",
                            c.getKey());
                }
            } else if (host == null || host.isBlank()) {
                if (!insecure) {
                    http.setBindHost(LOOPBACK);
                }
            } else if (!insecure && !isLoopback(host)) {
                throw new IllegalStateException(
                        c.getKey()
                                + " binds to "
                                + host
                                + " without authentication: bind to 127.0.0.1, name a"
                                + " security.principalsFile, or set security.insecure: true to"
                                + " expose it on purpose");
            }
        }
        if (insecure && !authenticated) {
            LOG.warn(
                    "security.insecure is set: the HTTP API and admin port accept anyone who can"
                            + " reach them");
        }
    }

    /** The connectors by where they sit in the config file. */
    private static Map<String, ConnectorFactory> connectors(ServerFactory factory) {
        Map<String, ConnectorFactory> out = new LinkedHashMap<>();
        if (factory instanceof DefaultServerFactory d) {
            add(out, "server.applicationConnectors", d.getApplicationConnectors());
            add(out, "server.adminConnectors", d.getAdminConnectors());
        } else if (factory instanceof SimpleServerFactory s) {
            out.put("server.connector", s.getConnector());
        }
        return out;
    }

    private static void add(
            Map<String, ConnectorFactory> out, String name, List<ConnectorFactory> list) {
        for (int i = 0; i < list.size(); i++) {
            out.put(name + "[" + i + "]", list.get(i));
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (Exception unresolvable) {
            return false;
        }
    }
}
