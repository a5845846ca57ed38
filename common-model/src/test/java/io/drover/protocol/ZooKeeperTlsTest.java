package io.drover.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.testkit.SecureZooKeeper;
import io.drover.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.ClientCnxnSocketNetty;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;
import org.apache.zookeeper.data.ClientInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooKeeperTlsTest {
    @TempDir static Path certsDir;
    static TestCertificates certs;

    @TempDir Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create(certsDir);
    }

    @Test
    void fromFiles_readsThePasswordWithoutItsNewline_andApplyToConfiguresThatClientOnly()
            throws Exception {
        Path keyStore = file("client.p12", "not read yet");
        Path trustStore = file("trust.jks", "not read yet");
        Path passwordFile = file("password", "  s3cret\n");

        ZooKeeperTls tls = ZooKeeperTls.fromFiles(keyStore, trustStore, passwordFile);
        ZKClientConfig config = ZooKeeperClients.clientConfig();
        tls.applyTo(config);

        ClientX509Util x509 = new ClientX509Util();
        assertThat(tls.password()).isEqualTo("s3cret");
        assertThat(config.getBoolean(ZKClientConfig.SECURE_CLIENT)).isTrue();
        assertThat(config.getProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET))
                .isEqualTo(ClientCnxnSocketNetty.class.getName());
        assertThat(config.getProperty(x509.getSslKeystoreLocationProperty()))
                .isEqualTo(keyStore.toString());
        assertThat(config.getProperty(x509.getSslKeystorePasswdProperty())).isEqualTo("s3cret");
        assertThat(config.getProperty(x509.getSslKeystoreTypeProperty())).isEqualTo("PKCS12");
        assertThat(config.getProperty(x509.getSslTruststoreLocationProperty()))
                .isEqualTo(trustStore.toString());
        assertThat(config.getProperty(x509.getSslTruststorePasswdProperty())).isEqualTo("s3cret");
        assertThat(config.getProperty(x509.getSslTruststoreTypeProperty())).isEqualTo("JKS");
        // hostname verification stays on (ZooKeeper's default), and nothing became JVM-wide
        assertThat(x509.isServerHostnameVerificationEnabled(config)).isTrue();
        assertThat(System.getProperties().stringPropertyNames())
                .noneMatch(name -> name.startsWith("zookeeper.ssl."))
                .doesNotContain(ZKClientConfig.SECURE_CLIENT);
        assertThat(new ZKClientConfig().getBoolean(ZKClientConfig.SECURE_CLIENT)).isFalse();
    }

    @Test
    void storeType_followsTheFileName_pkcs12UnlessItSaysJks() {
        assertThat(ZooKeeperTls.storeType(Path.of("a/keys.p12"))).isEqualTo("PKCS12");
        assertThat(ZooKeeperTls.storeType(Path.of("keys.PFX"))).isEqualTo("PKCS12");
        assertThat(ZooKeeperTls.storeType(Path.of("keys.JKS"))).isEqualTo("JKS");
        assertThat(ZooKeeperTls.storeType(Path.of("keystore"))).isEqualTo("PKCS12");
    }

    @Test
    void missingOrEmptyFiles_failWithOneLineNamingTheFile() throws Exception {
        Path store = file("store.p12", "x");
        Path missing = dir.resolve("nope.password");
        Path empty = file("empty.password", " \n");

        assertThatThrownBy(() -> ZooKeeperTls.fromFiles(store, store, missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the password file " + missing + " does not exist or is not a file");
        assertThatThrownBy(() -> ZooKeeperTls.fromFiles(missing, store, empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the key store " + missing + " does not exist or is not a file");
        assertThatThrownBy(() -> ZooKeeperTls.fromFiles(store, dir, empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the trust store " + dir + " does not exist or is not a file");
        assertThatThrownBy(() -> ZooKeeperTls.fromFiles(store, store, empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the password file " + empty + " is empty");
    }

    @Test
    void toString_namesTheStores_butNeverThePassword() {
        ZooKeeperTls tls = new ZooKeeperTls(Path.of("k.p12"), Path.of("t.p12"), "hunter2");

        assertThat(tls.toString()).contains("k.p12", "t.p12").doesNotContain("hunter2");
    }

    @Test
    void checkStores_opensRealStores_andNamesTheOneAWrongPasswordCannotOpen() throws Exception {
        Path keyStore = certs.keyStore("checked");
        Path right = file("right", TestCertificates.PASSWORD + "\n");
        Path wrong = file("wrong", "not-the-password");

        ZooKeeperTls.fromFiles(keyStore, certs.trustStore(), right).checkStores();
        assertThatThrownBy(
                        () ->
                                ZooKeeperTls.fromFiles(keyStore, certs.trustStore(), wrong)
                                        .checkStores())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot open the key store " + keyStore);
    }

    @Test
    void aClientConfiguredByApplyTo_talksToATlsOnlyServer_whichKnowsItByItsCertificate()
            throws Exception {
        Path passwordFile = file("password", TestCertificates.PASSWORD + "\n");
        ZooKeeperTls tls =
                ZooKeeperTls.fromFiles(
                        certs.keyStore("drover-client"), certs.trustStore(), passwordFile);
        ZKClientConfig config = ZooKeeperClients.clientConfig();
        tls.applyTo(config);

        try (SecureZooKeeper server = SecureZooKeeper.start(dir.resolve("zk"), certs);
                CuratorFramework client =
                        CuratorFrameworkFactory.builder()
                                .connectString(server.connectString())
                                .retryPolicy(new RetryOneTime(100))
                                .zkClientConfig(config)
                                .build()) {
            client.start();
            assertThat(client.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
            client.create().forPath("/over-tls", "hello".getBytes(StandardCharsets.UTF_8));

            assertThat(client.getData().forPath("/over-tls")).asString().isEqualTo("hello");
            assertThat(client.getZookeeperClient().getZooKeeper().whoAmI())
                    .extracting(ClientInfo::getAuthScheme, ClientInfo::getUser)
                    .contains(org.assertj.core.groups.Tuple.tuple("x509", "CN=drover-client"));
        }
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
