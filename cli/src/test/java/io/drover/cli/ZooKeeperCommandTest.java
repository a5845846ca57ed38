package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliTest.Result;
import io.drover.testkit.SecureZooKeeper;
import io.drover.testkit.TestCertificates;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code drover zookeeper}'s options and the {@code zoo.cfg} they write (the server itself runs in
 * {@code ZooKeeperTlsIT}).
 */
class ZooKeeperCommandTest {
    @TempDir static Path tls;
    static TestCertificates certs;
    static Path keyStore;
    static Path passwordFile;

    @TempDir Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create(tls);
        keyStore = certs.keyStore("zookeeper");
        passwordFile =
                Files.writeString(
                        tls.resolve("zk.password"),
                        TestCertificates.PASSWORD + "\n",
                        StandardCharsets.UTF_8);
    }

    @Test
    void withoutTlsOptions_servesThePlainPort2181_asBefore() {
        ZooKeeperCommand plain = parse();
        ZooKeeperCommand tlsOnly = parse("--secure-port", "2281");
        ZooKeeperCommand both = parse("--secure-port", "2281", "--port", "2182");

        assertThat(plain.plainPort()).isEqualTo(2181);
        assertThat(tlsOnly.plainPort()).isNull();
        assertThat(both.plainPort()).isEqualTo(2182);
    }

    @Test
    void securePort_writesATlsOnlyConfig_thatNamesThePasswordFileButHoldsNoPassword()
            throws Exception {
        int securePort = SecureZooKeeper.freePort();

        List<String> cfg = zooCfg(tlsArgs("--secure-port", Integer.toString(securePort)));

        assertThat(cfg)
                .contains(
                        "secureClientPort=" + securePort,
                        "secureClientPortAddress=127.0.0.1",
                        "serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory",
                        "ssl.keyStore.location=" + keyStore.toAbsolutePath(),
                        "ssl.keyStore.passwordPath=" + passwordFile.toAbsolutePath(),
                        "ssl.keyStore.type=PKCS12",
                        "ssl.trustStore.location=" + certs.trustStore().toAbsolutePath(),
                        "ssl.trustStore.passwordPath=" + passwordFile.toAbsolutePath(),
                        "ssl.trustStore.type=PKCS12",
                        "ssl.clientAuth=need")
                .noneMatch(line -> line.startsWith("clientPort"))
                .noneMatch(line -> line.contains(TestCertificates.PASSWORD))
                .noneMatch(line -> line.startsWith("enforce.auth") || line.startsWith("sslQuorum"));
    }

    @Test
    void enforceAuth_turnsEnforcementOn_andLoadsTheProvidersZooKeeperDoesNotBuildIn()
            throws Exception {
        List<String> cfg =
                zooCfg(
                        tlsArgs(
                                "--secure-port",
                                Integer.toString(SecureZooKeeper.freePort()),
                                "--client-auth",
                                "want",
                                "--enforce-auth",
                                "x509,digest,sasl",
                                "--max-client-cnxns",
                                "500"));

        assertThat(cfg)
                .contains(
                        "ssl.clientAuth=want",
                        "enforce.auth.enabled=true",
                        "enforce.auth.schemes=x509,digest,sasl",
                        "authProvider.1=org.apache.zookeeper.server.auth.X509AuthenticationProvider",
                        "authProvider.2=org.apache.zookeeper.server.auth.SASLAuthenticationProvider",
                        "maxClientCnxns=500")
                .filteredOn(line -> line.startsWith("authProvider."))
                .hasSize(2);
    }

    @Test
    void quorumTls_givesTheEnsembleTheSameStores_withoutAPlaintextFallback() throws Exception {
        List<String> cfg =
                zooCfg(
                        tlsArgs(
                                "--port",
                                Integer.toString(SecureZooKeeper.freePort()),
                                "--id",
                                "2",
                                "--servers",
                                "127.0.0.1:2888:3888,127.0.0.1:2889:3889,127.0.0.1:2890:3890",
                                "--quorum-tls"));

        assertThat(cfg)
                .contains(
                        "sslQuorum=true",
                        "portUnification=false",
                        "ssl.quorum.keyStore.location=" + keyStore.toAbsolutePath(),
                        "ssl.quorum.keyStore.passwordPath=" + passwordFile.toAbsolutePath(),
                        "ssl.quorum.trustStore.location=" + certs.trustStore().toAbsolutePath(),
                        "server.2=127.0.0.1:2889:3889")
                .noneMatch(line -> line.startsWith("secureClientPort"))
                .noneMatch(line -> line.startsWith("ssl.keyStore"));
        assertThat(Files.readString(dir.resolve("zk/myid"))).isEqualTo("2\n");
    }

    @Test
    void inconsistentOptions_eachFailWithOneLine_andTheUsageExitCode() throws Exception {
        Path spaced = Files.writeString(dir.resolve("spaced"), " drover-test\n");
        Path wrong = Files.writeString(dir.resolve("wrong"), "not-the-password\n");
        String ks = keyStore.toString();
        String ts = certs.trustStore().toString();
        String pw = passwordFile.toString();

        assertThat(fails("--secure-port", "2281"))
                .isEqualTo(
                        "drover: --secure-port needs --tls-keystore, --tls-truststore, --tls-password-file");
        assertThat(fails("--secure-port", "2281", "--tls-keystore", ks))
                .isEqualTo("drover: --secure-port needs --tls-truststore, --tls-password-file");
        assertThat(fails("--tls-keystore", ks))
                .isEqualTo(
                        "drover: --tls-keystore, --tls-truststore and --tls-password-file need"
                                + " --secure-port or --quorum-tls");
        assertThat(fails("--quorum-tls", "--tls-keystore", ks))
                .isEqualTo("drover: --quorum-tls needs --tls-truststore, --tls-password-file");
        assertThat(
                        fails(
                                "--quorum-tls",
                                "--tls-keystore",
                                ks,
                                "--tls-truststore",
                                ts,
                                "--tls-password-file",
                                pw))
                .isEqualTo("drover: --quorum-tls needs an ensemble (--servers)");
        assertThat(fails("--client-auth", "want"))
                .isEqualTo("drover: --client-auth needs --secure-port");
        assertThat(fails("--enforce-auth", "x509"))
                .startsWith("drover: --enforce-auth x509 needs --secure-port");
        assertThat(fails("--enforce-auth", "kerberos"))
                .isEqualTo(
                        "drover: --enforce-auth: unknown scheme 'kerberos' (x509, digest or sasl)");
        assertThat(
                        fails(
                                "--port",
                                "2281",
                                "--secure-port",
                                "2281",
                                "--tls-keystore",
                                ks,
                                "--tls-truststore",
                                ts,
                                "--tls-password-file",
                                pw))
                .isEqualTo("drover: --secure-port and --port must differ");
        assertThat(
                        fails(
                                "--secure-port",
                                "2281",
                                "--tls-keystore",
                                ks,
                                "--tls-truststore",
                                ts,
                                "--tls-password-file",
                                wrong.toString()))
                .startsWith("drover: cannot open the key store " + ks + " with the password given");
        assertThat(
                        fails(
                                "--secure-port",
                                "2281",
                                "--tls-keystore",
                                ks,
                                "--tls-truststore",
                                ts,
                                "--tls-password-file",
                                spaced.toString()))
                .isEqualTo(
                        "drover: --tls-password-file "
                                + spaced
                                + " must hold the password alone on one line, without spaces around it");
        assertThat(
                        fails(
                                "--secure-port",
                                "2281",
                                "--tls-keystore",
                                ks + ".missing",
                                "--tls-truststore",
                                ts,
                                "--tls-password-file",
                                pw))
                .isEqualTo(
                        "drover: the key store " + ks + ".missing does not exist or is not a file");
        assertThat(fails("--max-client-cnxns", "-1"))
                .isEqualTo("drover: --max-client-cnxns must be 0 or more");
    }

    private String fails(String... args) {
        List<String> all =
                new ArrayList<>(List.of("zookeeper", "--data-dir", dir.resolve("bad").toString()));
        all.addAll(List.of(args));
        Result r = drover(all.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines()).as(r.err()).hasSize(1);
        return r.err().strip();
    }

    private String[] tlsArgs(String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--tls-keystore",
                                keyStore.toString(),
                                "--tls-truststore",
                                certs.trustStore().toString(),
                                "--tls-password-file",
                                passwordFile.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private List<String> zooCfg(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--data-dir", dir.resolve("zk").toString()));
        all.addAll(List.of(args));
        File cfg = parse(all.toArray(String[]::new)).prepare();
        return Files.readAllLines(cfg.toPath());
    }

    private static ZooKeeperCommand parse(String... args) {
        ZooKeeperCommand command = new ZooKeeperCommand();
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return command;
    }
}
