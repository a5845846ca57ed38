package io.drover.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Objects;
import org.apache.zookeeper.ClientCnxnSocketNetty;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;

/**
 * How a Drover process talks TLS to ZooKeeper: its own key store (the certificate it shows, which a
 * server with {@code x509} authentication takes as its identity) and a trust store (the CAs it
 * accepts the server's certificate from), both opened with one password. The password comes from a
 * file ({@link #fromFiles}), never from a command line.
 *
 * <p>{@link #applyTo} sets the settings on one client's {@link ZKClientConfig}; nothing here
 * touches ZooKeeper's JVM-wide system properties, so clients with and without TLS can live in one
 * JVM. The server's certificate must name the host or IP address the connect string uses:
 * ZooKeeper's client checks it ({@code zookeeper.ssl.hostnameVerification}, on by default, and left
 * on).
 */
public record ZooKeeperTls(Path keyStore, Path trustStore, String password) {
    private static final String PKCS12 = "PKCS12";

    public ZooKeeperTls {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(password, "password");
    }

    /**
     * Reads the password from {@code passwordFile} (its content, leading and trailing whitespace
     * such as the final newline removed).
     *
     * @throws IllegalArgumentException naming the file if a file is missing, unreadable or the
     *     password file is empty
     */
    public static ZooKeeperTls fromFiles(Path keyStore, Path trustStore, Path passwordFile) {
        requireFile(keyStore, "key store");
        requireFile(trustStore, "trust store");
        requireFile(passwordFile, "password file");
        String password;
        try {
            password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "cannot read the password file " + passwordFile + ": " + e, e);
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the password file " + passwordFile + " is empty");
        }
        return new ZooKeeperTls(keyStore, trustStore, password);
    }

    /**
     * Makes the client that {@code config} configures connect with TLS through ZooKeeper's Netty
     * socket, showing {@link #keyStore} and trusting {@link #trustStore}. Store types follow the
     * file names ({@code .jks} is JKS, anything else PKCS12).
     */
    public void applyTo(ZKClientConfig config) {
        config.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
        config.setProperty(
                ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, ClientCnxnSocketNetty.class.getName());
        try (ClientX509Util x509 = new ClientX509Util()) {
            config.setProperty(x509.getSslKeystoreLocationProperty(), keyStore.toString());
            config.setProperty(x509.getSslKeystorePasswdProperty(), password);
            config.setProperty(x509.getSslKeystoreTypeProperty(), storeType(keyStore));
            config.setProperty(x509.getSslTruststoreLocationProperty(), trustStore.toString());
            config.setProperty(x509.getSslTruststorePasswdProperty(), password);
            config.setProperty(x509.getSslTruststoreTypeProperty(), storeType(trustStore));
        }
    }

    /**
     * Opens both stores with the password, so that a wrong password or a damaged store is one clear
     * line at start rather than a failed handshake later.
     *
     * @throws IllegalArgumentException naming the store that cannot be opened
     */
    public void checkStores() {
        open(keyStore, "key store");
        open(trustStore, "trust store");
    }

    /**
     * The store type ZooKeeper is told for {@code store}: {@code JKS} for a {@code .jks} file, else
     * {@code PKCS12} (also the JDK's default type).
     */
    public static String storeType(Path store) {
        Path name = store.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".jks")
                ? "JKS"
                : PKCS12;
    }

    /** Names the stores but never shows the password. */
    @Override
    public String toString() {
        return "ZooKeeperTls[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
    }

    private void open(Path store, String what) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore.getInstance(storeType(store)).load(in, password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "cannot open the "
                            + what
                            + " "
                            + store
                            + " with the password given (wrong password, or not a "
                            + storeType(store)
                            + " store): "
                            + e.getMessage(),
                    e);
        }
    }

    private static void requireFile(Path file, String what) {
        Objects.requireNonNull(file, what);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "the " + what + " " + file + " does not exist or is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("the " + what + " " + file + " is not readable");
        }
    }
}
