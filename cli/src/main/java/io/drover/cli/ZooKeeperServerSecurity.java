package io.drover.cli;

import io.drover.protocol.ZooKeeperTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.zookeeper.common.ClientX509Util;
import org.apache.zookeeper.common.QuorumX509Util;
import org.apache.zookeeper.common.X509Util;
import org.apache.zookeeper.server.AuthenticationHelper;
import org.apache.zookeeper.server.NettyServerCnxnFactory;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.auth.ProviderRegistry;
import org.apache.zookeeper.server.auth.SASLAuthenticationProvider;
import org.apache.zookeeper.server.auth.X509AuthenticationProvider;
import picocli.CommandLine.Option;

/**
 * The TLS and authentication options of {@code drover zookeeper} and the {@code zoo.cfg} lines they
 * become. ZooKeeper's server reads its TLS settings from JVM-wide {@code zookeeper.*} system
 * properties; every {@code zoo.cfg} key it does not know itself becomes one ({@code ssl.x} sets
 * {@code zookeeper.ssl.x}), so the keys here are ZooKeeper's property names less that prefix. The
 * password stays in its file: ZooKeeper reads it from there ({@code ssl.*.passwordPath}).
 */
final class ZooKeeperServerSecurity {
    /** The schemes {@code --enforce-auth} knows and the provider each loads; "": built in. */
    private static final Map<String, String> PROVIDERS =
            Map.of(
                    "x509", X509AuthenticationProvider.class.getName(),
                    "sasl", SASLAuthenticationProvider.class.getName(),
                    "digest", "");

    @Option(
            names = "--secure-port",
            paramLabel = "PORT",
            description =
                    "Serve clients over TLS on this port of --bind. Without --port it is the only client port.")
    Integer securePort;

    @Option(
            names = "--tls-keystore",
            paramLabel = "FILE",
            description =
                    "The server's key store (PKCS12; JKS if named .jks). Its certificate must name the address clients connect to.")
    Path keyStore;

    @Option(
            names = "--tls-truststore",
            paramLabel = "FILE",
            description = "The CAs whose client and peer certificates the server accepts.")
    Path trustStore;

    @Option(
            names = "--tls-password-file",
            paramLabel = "FILE",
            description =
                    "The password of both stores, alone in this file (a final newline is allowed). ZooKeeper reads the file itself; zoo.cfg only names it.")
    Path passwordFile;

    @Option(
            names = "--client-auth",
            paramLabel = "need|want|none",
            description =
                    "Whether TLS clients must show a certificate the trust store vouches for (default: need).")
    X509Util.ClientAuth clientAuth;

    @Option(
            names = "--enforce-auth",
            split = ",",
            paramLabel = "SCHEMES",
            description =
                    "Close every session not authenticated by one of these schemes: x509 (the TLS client certificate), digest, sasl.")
    List<String> enforceAuth = new ArrayList<>();

    @Option(
            names = "--quorum-tls",
            description =
                    "Ensemble members talk TLS only to each other (sslQuorum), with the same stores.")
    boolean quorumTls;

    /**
     * Checks the options together and the stores; throws a one-line {@link
     * IllegalArgumentException} for the first problem.
     */
    void check(boolean ensemble, Integer plainPort) {
        boolean tls = securePort != null || quorumTls;
        List<String> missing = new ArrayList<>();
        if (keyStore == null) {
            missing.add("--tls-keystore");
        }
        if (trustStore == null) {
            missing.add("--tls-truststore");
        }
        if (passwordFile == null) {
            missing.add("--tls-password-file");
        }
        String needsTls = securePort != null ? "--secure-port" : "--quorum-tls";
        if (tls && !missing.isEmpty()) {
            throw new IllegalArgumentException(needsTls + " needs " + String.join(", ", missing));
        }
        if (!tls && missing.size() < 3) {
            throw new IllegalArgumentException(
                    "--tls-keystore, --tls-truststore and --tls-password-file need --secure-port or --quorum-tls");
        }
        if (quorumTls && !ensemble) {
            throw new IllegalArgumentException("--quorum-tls needs an ensemble (--servers)");
        }
        if (clientAuth != null && securePort == null) {
            throw new IllegalArgumentException("--client-auth needs --secure-port");
        }
        if (securePort != null && securePort.equals(plainPort)) {
            throw new IllegalArgumentException("--secure-port and --port must differ");
        }
        for (String scheme : enforceAuth) {
            if (!PROVIDERS.containsKey(scheme)) {
                throw new IllegalArgumentException(
                        "--enforce-auth: unknown scheme '" + scheme + "' (x509, digest or sasl)");
            }
        }
        if (enforceAuth.contains("x509")
                && (securePort == null || clientAuth() == X509Util.ClientAuth.NONE)) {
            throw new IllegalArgumentException(
                    "--enforce-auth x509 needs --secure-port and a --client-auth other than none:"
                            + " only TLS clients show a certificate");
        }
        if (tls) {
            checkPasswordFile();
            ZooKeeperTls.fromFiles(keyStore, trustStore, passwordFile).checkStores();
        }
    }

    /** The {@code zoo.cfg} lines for these options (none without them). */
    List<String> configLines(String bind) {
        List<String> lines = new ArrayList<>();
        if (securePort != null) {
            lines.add("secureClientPort=" + securePort);
            lines.add("secureClientPortAddress=" + bind);
            // Only the Netty connection factory serves TLS.
            lines.add(
                    key(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY)
                            + "="
                            + NettyServerCnxnFactory.class.getName());
            try (X509Util client = new ClientX509Util()) {
                addStores(lines, client);
                lines.add(
                        key(client.getSslClientAuthProperty())
                                + "="
                                + clientAuth().name().toLowerCase(Locale.ROOT));
            }
        }
        if (!enforceAuth.isEmpty()) {
            lines.add(key(AuthenticationHelper.ENFORCE_AUTH_ENABLED) + "=true");
            lines.add(
                    key(AuthenticationHelper.ENFORCE_AUTH_SCHEMES)
                            + "="
                            + String.join(",", enforceAuth));
            int n = 0;
            for (String scheme : enforceAuth) {
                if (!PROVIDERS.get(scheme).isEmpty()) {
                    lines.add(
                            key(ProviderRegistry.AUTHPROVIDER_PROPERTY_PREFIX)
                                    + ++n
                                    + "="
                                    + PROVIDERS.get(scheme));
                }
            }
        }
        if (quorumTls) {
            lines.add("sslQuorum=true");
            // Members talk TLS only: no plaintext fallback on the quorum ports.
            lines.add("portUnification=false");
            try (X509Util quorum = new QuorumX509Util()) {
                addStores(lines, quorum);
            }
        }
        return lines;
    }

    private X509Util.ClientAuth clientAuth() {
        return clientAuth == null ? X509Util.ClientAuth.NEED : clientAuth;
    }

    private void addStores(List<String> lines, X509Util x509) {
        String password = passwordFile.toAbsolutePath().toString();
        lines.add(key(x509.getSslKeystoreLocationProperty()) + "=" + keyStore.toAbsolutePath());
        lines.add(key(x509.getSslKeystorePasswdPathProperty()) + "=" + password);
        lines.add(key(x509.getSslKeystoreTypeProperty()) + "=" + ZooKeeperTls.storeType(keyStore));
        lines.add(key(x509.getSslTruststoreLocationProperty()) + "=" + trustStore.toAbsolutePath());
        lines.add(key(x509.getSslTruststorePasswdPathProperty()) + "=" + password);
        lines.add(
                key(x509.getSslTruststoreTypeProperty())
                        + "="
                        + ZooKeeperTls.storeType(trustStore));
    }

    /**
     * ZooKeeper reads the password as the whole file less one final newline, Drover's clients as
     * the file stripped: only a file both read alike is accepted.
     */
    private void checkPasswordFile() {
        ZooKeeperTls.fromFiles(keyStore, trustStore, passwordFile); // exists, not empty
        try {
            String content = Files.readString(passwordFile, StandardCharsets.UTF_8);
            String password =
                    content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
            if (!password.equals(password.strip()) || password.contains("\n")) {
                throw new IllegalArgumentException(
                        "--tls-password-file "
                                + passwordFile
                                + " must hold the password alone on one line, without spaces around it");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read --tls-password-file " + passwordFile, e);
        }
    }

    /** A {@code zoo.cfg} key for the system property ZooKeeper makes of it. */
    private static String key(String property) {
        String prefix = "zookeeper.";
        if (!property.startsWith(prefix)) {
            throw new IllegalStateException(property + " is not a zookeeper.* property");
        }
        return property.substring(prefix.length());
    }
}
