package io.drover.cli;

import io.drover.protocol.ZooKeeperSecurity;
import io.drover.protocol.ZooKeeperTls;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** TLS to ZooKeeper's secure port, for every command that talks to ZooKeeper itself. */
final class ZooKeeperTlsOptions {
    @Option(
            names = "--zk-tls-keystore",
            description =
                    "Connect to ZooKeeper's secure port with this key store (PKCS12 or .jks); needs"
                            + " --zk-tls-truststore and --zk-tls-password-file.")
    Path keyStore;

    @Option(
            names = "--zk-tls-truststore",
            description = "The CAs to trust ZooKeeper's certificate from.")
    Path trustStore;

    @Option(names = "--zk-tls-password-file", description = "The stores' password, in a file.")
    Path passwordFile;

    /** {@code security} over TLS when the options say so. */
    ZooKeeperSecurity applyTo(ZooKeeperSecurity security) {
        if (keyStore == null && trustStore == null && passwordFile == null) {
            return security;
        }
        if (keyStore == null || trustStore == null || passwordFile == null) {
            throw new IllegalArgumentException(
                    "--zk-tls-keystore, --zk-tls-truststore and --zk-tls-password-file go together");
        }
        return security.withTls(ZooKeeperTls.fromFiles(keyStore, trustStore, passwordFile));
    }
}
