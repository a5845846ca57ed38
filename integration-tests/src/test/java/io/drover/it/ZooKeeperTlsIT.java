package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.drover.client.DroverClient;
import io.drover.coordinator.Coordinator;
import io.drover.model.TaskSpec;
import io.drover.model.TaskState;
import io.drover.model.TaskStatus;
import io.drover.protocol.ZooKeeperClients;
import io.drover.protocol.ZooKeeperTls;
import io.drover.store.StoreOptions;
import io.drover.testkit.SecureZooKeeper;
import io.drover.testkit.TestCertificates;
import io.drover.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;
import org.apache.zookeeper.data.ClientInfo;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drover through a ZooKeeper that serves TLS only and closes every session that has not
 * authenticated with a client certificate: {@code drover zookeeper --secure-port ... --client-auth
 * need --enforce-auth x509}, run in a child JVM (ZooKeeper's server-side TLS settings are
 * JVM-wide), with clients configured by {@link ZooKeeperTls#applyTo}.
 */
class ZooKeeperTlsIT {
    @TempDir static Path dir;
    static TestCertificates certs;
    static SecureZooKeeper zk;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void startTheSecureServer() throws Exception {
        certs = TestCertificates.create(dir.resolve("tls"));
        zk = SecureZooKeeper.launch(dir.resolve("zk"), certs, s -> drover(s, "need"));
    }

    @AfterAll
    static void stopTheServer() {
        if (zk != null) {
            zk.close();
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void theServerHasNoPlainPort_andRefusesPlainClients_certlessClients_andStrangersCertificates()
            throws Exception {
        Path zooCfg = zk.settings().dataDir().resolve("zoo.cfg");
        TestCertificates strangers = TestCertificates.create(dir.resolve("strangers"));
        ZKClientConfig strangersCertificate = ZooKeeperClients.clientConfig();
        ZooKeeperTls.fromFiles(
                        strangers.keyStore("coordinator"),
                        certs.trustStore(),
                        zk.settings().passwordFile())
                .applyTo(strangersCertificate);

        assertThat(Files.readAllLines(zooCfg))
                .contains("secureClientPort=" + zk.settings().securePort())
                .noneMatch(line -> line.startsWith("clientPort"));
        assertThat(connects(ZooKeeperClients.clientConfig())).as("plain client").isFalse();
        assertThat(connects(certless())).as("TLS without a certificate").isFalse();
        assertThat(connects(strangersCertificate)).as("another CA's certificate").isFalse();
        // the control: the same settings with a certificate the CA signed
        client(zk.connectString(), "coordinator");
    }

    @Test
    void aCoordinatorAndAWorker_eachWithItsOwnCertificate_run50TasksThroughTheTlsOnlyServer()
            throws Exception {
        String cluster = "tls";
        CuratorFramework coordinatorSession = client(zk.connectString(), "coordinator");
        CuratorFramework workerSession = client(zk.connectString(), "worker-1");
        CuratorFramework submitterSession = client(zk.connectString(), "submitter");

        Coordinator coordinator =
                Coordinator.builder()
                        .client(coordinatorSession)
                        .cluster(cluster)
                        .id("coordinator")
                        .reconcileInterval(Duration.ofSeconds(2))
                        .build();
        closeables.add(coordinator);
        coordinator.start();
        Worker worker =
                Worker.builder()
                        .client(workerSession)
                        .cluster(cluster)
                        .id("worker-1")
                        .capacity(8)
                        .handler("square", ctx -> ctx.taskId().length())
                        .shutdownTimeout(Duration.ofSeconds(5))
                        .build();
        closeables.add(worker);
        worker.start();
        coordinator.whenLeaderReady().get(30, TimeUnit.SECONDS);
        DroverClient drover =
                DroverClient.using(submitterSession, cluster, StoreOptions.defaults());
        closeables.add(drover);

        List<TaskSpec> specs =
                IntStream.range(0, 50)
                        .mapToObj(i -> TaskSpec.builder("square").id("tls-" + i).build())
                        .toList();
        List<String> ids = drover.submitAll(specs).stream().map(f -> f.join().taskId()).toList();
        List<TaskStatus> done = drover.awaitAll(ids, Duration.ofSeconds(60));

        assertThat(done).hasSize(50);
        assertThat(done).extracting(TaskStatus::state).containsOnly(TaskState.SUCCEEDED);
        assertThat(done).extracting(TaskStatus::workerId).containsOnly("worker-1");
        assertThat(whoAmI(coordinatorSession)).contains(tuple("x509", "CN=coordinator"));
        assertThat(whoAmI(workerSession)).contains(tuple("x509", "CN=worker-1"));
        assertThat(whoAmI(submitterSession)).contains(tuple("x509", "CN=submitter"));
    }

    @Test
    void withClientAuthWant_aCertlessClientGetsASession_butEnforceAuthRefusesEveryRequest()
            throws Exception {
        try (SecureZooKeeper lenient =
                SecureZooKeeper.launch(dir.resolve("zk-want"), certs, s -> drover(s, "want"))) {
            ZooKeeper anonymous =
                    new ZooKeeper(lenient.connectString(), 10_000, event -> {}, certless());
            closeables.add(anonymous::close);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> anonymous.getState() == ZooKeeper.States.CONNECTED);
            assertThatThrownBy(() -> anonymous.exists("/", false))
                    .isInstanceOf(KeeperException.SessionClosedRequireAuthException.class);
            // The server drops the connection, not the session: the client reconnects, and its
            // next request is refused the same way.
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () ->
                                    assertThatThrownBy(() -> anonymous.exists("/", false))
                                            .isInstanceOf(
                                                    KeeperException
                                                            .SessionClosedRequireAuthException
                                                            .class));
            assertThat(Files.readString(lenient.log()))
                    .contains("does not match with any of the expected authentication scheme");

            CuratorFramework withCertificate = client(lenient.connectString(), "worker-2");
            assertThat(withCertificate.checkExists().forPath("/")).isNotNull();
        }
    }

    @Test
    void threeMembersWithQuorumTls_formAnEnsemble_thatServesTlsClients() throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(
                    "127.0.0.1:" + SecureZooKeeper.freePort() + ":" + SecureZooKeeper.freePort());
        }
        List<SecureZooKeeper> ensemble = new ArrayList<>();
        try {
            for (int id = 1; id <= 3; id++) {
                List<String> member =
                        List.of(
                                "--id",
                                Integer.toString(id),
                                "--servers",
                                String.join(",", members),
                                "--quorum-tls");
                ensemble.add(
                        SecureZooKeeper.launch(
                                dir.resolve("zk-member-" + id),
                                certs,
                                s -> concat(drover(s, "need"), member)));
            }
            String all =
                    String.join(
                            ",", ensemble.stream().map(SecureZooKeeper::connectString).toList());

            CuratorFramework writer = client(all, "writer");
            writer.create().forPath("/over-quorum-tls", "hello".getBytes(StandardCharsets.UTF_8));
            CuratorFramework reader = client(ensemble.get(2).connectString(), "reader");
            reader.sync().forPath("/over-quorum-tls");

            assertThat(reader.getData().forPath("/over-quorum-tls")).asString().isEqualTo("hello");
            for (SecureZooKeeper zkMember : ensemble) {
                assertThat(Files.readString(zkMember.log()))
                        .contains("Using TLS encrypted quorum communication");
            }
        } finally {
            ensemble.forEach(SecureZooKeeper::close);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** {@code drover zookeeper}, TLS only, x509 enforced, with the given {@code --client-auth}. */
    static List<String> drover(SecureZooKeeper.Settings s, String clientAuth) {
        return List.of(
                "io.drover.cli.Main",
                "zookeeper",
                "--data-dir",
                s.dataDir().toString(),
                "--secure-port",
                Integer.toString(s.securePort()),
                "--tls-keystore",
                s.keyStore().toString(),
                "--tls-truststore",
                s.trustStore().toString(),
                "--tls-password-file",
                s.passwordFile().toString(),
                "--client-auth",
                clientAuth,
                "--enforce-auth",
                "x509");
    }

    /**
     * A started client to {@code connectString} with {@code CN=<cn>}'s certificate, built the one
     * way Drover builds its clients.
     */
    private CuratorFramework client(String connectString, String cn) throws Exception {
        CuratorFramework client =
                ZooKeeperClients.newClient(
                        connectString,
                        java.time.Duration.ofSeconds(10),
                        java.time.Duration.ofSeconds(5),
                        io.drover.protocol.ZooKeeperSecurity.none()
                                .withTls(
                                        ZooKeeperTls.fromFiles(
                                                certs.keyStore(cn),
                                                certs.trustStore(),
                                                zk.settings().passwordFile())));
        closeables.add(client);
        client.start();
        assertThat(client.blockUntilConnected(30, TimeUnit.SECONDS)).as(cn).isTrue();
        return client;
    }

    /** Drover's client settings plus TLS with {@code keyStore}, as a Drover process has them. */
    private static ZKClientConfig tlsConfig(Path keyStore) {
        ZKClientConfig config = ZooKeeperClients.clientConfig();
        ZooKeeperTls.fromFiles(keyStore, certs.trustStore(), zk.settings().passwordFile())
                .applyTo(config);
        return config;
    }

    /** Whether a client with {@code config} gets a session within 3 s. */
    private boolean connects(ZKClientConfig config) throws Exception {
        try (CuratorFramework client =
                CuratorFrameworkFactory.builder()
                        .connectString(zk.connectString())
                        .sessionTimeoutMs(10_000)
                        .connectionTimeoutMs(5_000)
                        .retryPolicy(new ExponentialBackoffRetry(100, 10, 500))
                        .zkClientConfig(config)
                        .build()) {
            client.start();
            return client.blockUntilConnected(3, TimeUnit.SECONDS);
        }
    }

    /** Who the server says the session is: (scheme, id) pairs, its address among them. */
    private static List<Tuple> whoAmI(CuratorFramework session) throws Exception {
        List<ClientInfo> infos = session.getZookeeperClient().getZooKeeper().whoAmI();
        return infos.stream().map(info -> tuple(info.getAuthScheme(), info.getUser())).toList();
    }

    /** TLS that trusts the server's CA but shows no certificate. */
    private static ZKClientConfig certless() throws Exception {
        ZKClientConfig config = tlsConfig(certs.keyStore("coordinator"));
        config.setProperty(new ClientX509Util().getSslKeystoreLocationProperty(), "");
        return config;
    }
}
