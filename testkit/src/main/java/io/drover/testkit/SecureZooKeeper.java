package io.drover.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real ZooKeeper server that serves clients over TLS only, in a child JVM: ZooKeeper's TLS
 * settings are JVM-wide system properties on the server side, so the server cannot share the test's
 * JVM (curator-test's {@code TestingServer} opens a plain port only). The child runs on the test's
 * class path; its output goes to {@link #log()}. {@link #close()} stops it and waits.
 *
 * <p>The server's certificate is {@code certs.keyStore("zookeeper")} (valid for 127.0.0.1 and
 * localhost), it trusts {@code certs.trustStore()}, and it reads their password from a 0600 file
 * ({@link Settings#passwordFile()}). {@link #start} runs ZooKeeper's own main; {@link #launch} runs
 * any main class given the same settings (for example {@code drover zookeeper}).
 */
public final class SecureZooKeeper implements AutoCloseable {
    /** Longest wait for a child to accept TLS connections. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** What a server is started with: its TLS port on 127.0.0.1, data folder and stores. */
    public record Settings(
            int securePort, Path dataDir, Path keyStore, Path trustStore, Path passwordFile) {}

    private final Process process;
    private final Settings settings;
    private final Path log;
    private final Thread reaper;

    private SecureZooKeeper(Process process, Settings settings, Path log) {
        this.process = process;
        this.settings = settings;
        this.log = log;
        this.reaper = new Thread(process::destroyForcibly, "secure-zookeeper-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * ZooKeeper's {@code ZooKeeperServerMain} with a {@code zoo.cfg} written here: TLS only (no
     * plain port), client certificates needed ({@code ssl.clientAuth=need}), and every session must
     * have authenticated with its certificate ({@code enforce.auth.schemes=x509}).
     */
    public static SecureZooKeeper start(Path dir, TestCertificates certs) throws IOException {
        return launch(
                dir,
                certs,
                s -> List.of("org.apache.zookeeper.server.ZooKeeperServerMain", zooCfg(s)));
    }

    /**
     * Runs {@code mainClassAndArgs.apply(settings)} (a main class, then its arguments) in a child
     * JVM and waits until it accepts TLS connections on {@link Settings#securePort()}.
     *
     * @throws IllegalStateException with the end of the child's log if it exits or does not accept
     *     TLS within {@link #START_TIMEOUT}
     */
    public static SecureZooKeeper launch(
            Path dir, TestCertificates certs, Function<Settings, List<String>> mainClassAndArgs)
            throws IOException {
        Files.createDirectories(dir);
        Path passwordFile = dir.resolve("zookeeper.password");
        Files.writeString(passwordFile, TestCertificates.PASSWORD + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        Settings settings =
                new Settings(
                        freePort(),
                        Files.createDirectories(dir.resolve("data")),
                        certs.keyStore("zookeeper"),
                        certs.trustStore(),
                        passwordFile);
        Path logConfig = dir.resolve("logback-zookeeper.xml");
        Files.writeString(
                logConfig,
                "<configuration><appender name=\"OUT\""
                        + " class=\"ch.qos.logback.core.ConsoleAppender\"><encoder><pattern>"
                        + "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n"
                        + "</pattern></encoder></appender>"
                        + "<logger name=\"org.apache.zookeeper.server\" level=\"INFO\"/>"
                        + "<root level=\"WARN\"><appender-ref ref=\"OUT\"/></root>"
                        + "</configuration>\n",
                StandardCharsets.UTF_8);
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx256m",
                                "-XX:+UseSerialGC",
                                "-XX:TieredStopAtLevel=1",
                                "-Dlogback.configurationFile=" + logConfig,
                                "-cp",
                                System.getProperty("java.class.path")));
        command.addAll(mainClassAndArgs.apply(settings));
        Path log = dir.resolve("zookeeper.log");
        Process process =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        SecureZooKeeper server = new SecureZooKeeper(process, settings, log);
        try {
            await().atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(server::acceptsTls);
            return server;
        } catch (ConditionTimeoutException | IllegalStateException e) {
            server.close();
            throw new IllegalStateException(
                    "ZooKeeper did not accept TLS on port "
                            + settings.securePort()
                            + " within "
                            + START_TIMEOUT.toSeconds()
                            + " s: "
                            + server.logTail(),
                    e);
        }
    }

    /** A port that was free a moment ago: a server socket on port 0, closed again. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    public Settings settings() {
        return settings;
    }

    /** {@code 127.0.0.1:<securePort>}. */
    public String connectString() {
        return "127.0.0.1:" + settings.securePort();
    }

    /** The child's output (stdout and stderr). */
    public Path log() {
        return log;
    }

    /** Whether the child still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the child (SIGTERM, then SIGKILL after 15 s) and waits for it to end. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    /** True once a TLS handshake with the server's own certificate succeeds. */
    private boolean acceptsTls() {
        if (!process.isAlive()) {
            throw new IllegalStateException("exited with " + process.exitValue());
        }
        try (SSLSocket socket = (SSLSocket) sslContext().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", settings.securePort()), 1_000);
            socket.setSoTimeout(2_000);
            socket.startHandshake();
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private SSLContext sslContext() {
        try {
            char[] password = TestCertificates.PASSWORD.toCharArray();
            KeyManagerFactory keys =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(settings.keyStore(), password), password);
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(settings.trustStore(), password));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot load the test certificates", e);
        }
    }

    private static KeyStore load(Path store, char[] password)
            throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
            return keyStore;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Writes the {@code zoo.cfg} of {@link #start} and returns its path. */
    private static String zooCfg(Settings s) {
        Path cfg = s.dataDir().resolveSibling("zoo.cfg");
        List<String> lines =
                List.of(
                        "tickTime=500",
                        "minSessionTimeout=1000",
                        "maxSessionTimeout=60000",
                        "dataDir=" + s.dataDir(),
                        "secureClientPort=" + s.securePort(),
                        "secureClientPortAddress=127.0.0.1",
                        "serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory",
                        "admin.enableServer=false",
                        "ssl.keyStore.location=" + s.keyStore(),
                        "ssl.keyStore.passwordPath=" + s.passwordFile(),
                        "ssl.trustStore.location=" + s.trustStore(),
                        "ssl.trustStore.passwordPath=" + s.passwordFile(),
                        "ssl.clientAuth=need",
                        "enforce.auth.enabled=true",
                        "enforce.auth.schemes=x509",
                        "authProvider.1=org.apache.zookeeper.server.auth.X509AuthenticationProvider");
        try {
            Files.write(cfg, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cfg.toString();
    }
}
