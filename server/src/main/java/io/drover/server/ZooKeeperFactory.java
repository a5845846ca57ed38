package io.drover.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.drover.protocol.ZooKeeperClients;
import jakarta.validation.constraints.NotEmpty;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/**
 * The {@code zooKeeper:} section of a server config. In containers, override the connect string
 * with {@code ${DROVER_ZK_CONNECT}} (the example configs do).
 *
 * <pre>
 * zooKeeper:
 *   connectString: ${DROVER_ZK_CONNECT:-127.0.0.1:2181}
 *   sessionTimeout: 10s
 *   connectionTimeout: 5s
 *   credentialsFiles: [/etc/drover/zk-coordinator.cred]   # digest user:password, one per file
 *   tls:                                                  # optional: ZooKeeper's secure port
 *     keyStore: /etc/drover/coordinator.p12
 *     trustStore: /etc/drover/ca.p12
 *     passwordFile: /etc/drover/tls.password
 * </pre>
 *
 * For SASL, point the JVM at a JAAS file ({@code -Djava.security.auth.login.config=...}, section
 * {@code Client}); for x509, see the TLS settings. See {@code docs/security.md}.
 */
public final class ZooKeeperFactory {
    @NotEmpty private String connectString = "127.0.0.1:2181";

    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 60, unit = TimeUnit.SECONDS)
    private Duration sessionTimeout = Duration.seconds(10);

    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 60, unit = TimeUnit.SECONDS)
    private Duration connectionTimeout = Duration.seconds(5);

    /**
     * Files of digest credentials ({@code user:password}), one identity each; a worker lists the
     * worker role's and its own. Never the credentials themselves: config files get copied and
     * logged.
     */
    private java.util.List<@jakarta.validation.constraints.NotBlank String> credentialsFiles =
            java.util.List.of();

    @JsonProperty
    public java.util.List<String> getCredentialsFiles() {
        return credentialsFiles;
    }

    @JsonProperty
    public void setCredentialsFiles(java.util.List<String> files) {
        this.credentialsFiles = files == null ? java.util.List.of() : java.util.List.copyOf(files);
    }

    /** TLS to ZooKeeper: null for a plain connection. */
    @jakarta.validation.Valid @JsonProperty public Tls tls;

    /** The {@code zooKeeper.tls:} section: PKCS12 (or .jks) stores and their password's file. */
    public static final class Tls {
        @jakarta.validation.constraints.NotBlank @JsonProperty public String keyStore;
        @jakarta.validation.constraints.NotBlank @JsonProperty public String trustStore;
        @jakarta.validation.constraints.NotBlank @JsonProperty public String passwordFile;
    }

    /** The credentials this server's session presents, and its TLS settings. */
    public io.drover.protocol.ZooKeeperSecurity security() {
        io.drover.protocol.ZooKeeperSecurity s = io.drover.protocol.ZooKeeperSecurity.none();
        for (String f : credentialsFiles) {
            s = s.withDigestFile(java.nio.file.Path.of(f));
        }
        if (tls != null) {
            s =
                    s.withTls(
                            io.drover.protocol.ZooKeeperTls.fromFiles(
                                    java.nio.file.Path.of(tls.keyStore),
                                    java.nio.file.Path.of(tls.trustStore),
                                    java.nio.file.Path.of(tls.passwordFile)));
        }
        return s;
    }

    @JsonProperty
    public String getConnectString() {
        return connectString;
    }

    @JsonProperty
    public void setConnectString(String connectString) {
        this.connectString = connectString;
    }

    @JsonProperty
    public Duration getSessionTimeout() {
        return sessionTimeout;
    }

    @JsonProperty
    public void setSessionTimeout(Duration sessionTimeout) {
        this.sessionTimeout = sessionTimeout;
    }

    @JsonProperty
    public Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    @JsonProperty
    public void setConnectionTimeout(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    /** A new, unstarted client. */
    public CuratorFramework build() {
        return ZooKeeperClients.newClient(
                connectString,
                java.time.Duration.ofMillis(sessionTimeout.toMilliseconds()),
                java.time.Duration.ofMillis(connectionTimeout.toMilliseconds()),
                security());
    }
}
