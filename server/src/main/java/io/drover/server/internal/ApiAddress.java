package io.drover.server.internal;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.jetty.HttpsConnectorFactory;

/**
 * The API address a coordinator announces in {@code coordinators/<id>} for discovery: {@code
 * api.publicUrl} when set, else one made from the first application connector (its scheme, its bind
 * host or loopback, its port). A connector on port 0 has no address before it starts, so it
 * announces none (set {@code api.publicUrl}).
 */
public final class ApiAddress {
    private ApiAddress() {}

    public static String of(String publicUrl, ServerFactory server) {
        if (publicUrl != null && !publicUrl.isBlank()) {
            return publicUrl;
        }
        if (!(server instanceof DefaultServerFactory d) || d.getApplicationConnectors().isEmpty()) {
            return "";
        }
        ConnectorFactory first = d.getApplicationConnectors().get(0);
        if (!(first instanceof HttpConnectorFactory http) || http.getPort() == 0) {
            return "";
        }
        String host = http.getBindHost();
        if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) {
            // listening everywhere: loopback is the one address sure to reach it from here;
            // other machines need api.publicUrl
            host = "127.0.0.1";
        }
        String scheme = first instanceof HttpsConnectorFactory ? "https" : "http";
        return scheme
                + "://"
                + (host.contains(":") ? "[" + host + "]" : host)
                + ":"
                + http.getPort();
    }
}
