package io.drover.cli;

import static io.drover.cli.CliTest.drover;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliTest.Result;
import io.drover.cli.client.ExitCodes;
import io.drover.server.testing.PrincipalsFiles;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.TestCertificates;
import io.drover.testkit.ZooKeeperServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a server with tokens over HTTPS: {@code --token-file}, {@code --cacert}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureClientTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();
    @TempDir static Path dir;

    private ServerHarness server;
    private String url;
    private TestCertificates certs;
    private Path principals;

    @BeforeAll
    void start() throws Exception {
        certs = TestCertificates.create(dir.resolve("tls"));
        Path store = certs.keyStore("localhost");
        PrincipalsFiles file = new PrincipalsFiles(dir.resolve("principals.yml"));
        file.token("nobody-uses-this", "reader");
        principals = file.write();
        server =
                ServerHarness.start(
                        ZK.connectString(),
                        "cli-secure",
                        c -> {
                            c.security.principalsFile = principals.toString();
                            ServerHarness.httpsOnly(c, store, null, TestCertificates.PASSWORD);
                        });
        server.startWorker("worker-1", 2);
        url = "https://localhost:" + server.app().apiPort();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aTokenMadeByDroverToken_addedToThePrincipalsFile_lets_theCliSubmit() throws Exception {
        Path tokenFile = dir.resolve("ci.token");
        Result made =
                drover(
                        "token",
                        "--name",
                        "ci",
                        "--roles",
                        "submitter",
                        "--out",
                        tokenFile.toString());
        assertThat(made.code()).as(made.err()).isZero();
        assertThat(Files.getPosixFilePermissions(tokenFile))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(made.out()).doesNotContain(Files.readString(tokenFile).strip());
        Files.writeString(
                principals,
                Files.readString(principals)
                        .replace(
                                "tokens:\n",
                                "tokens:\n"
                                        + made.out()
                                                .lines()
                                                .skip(1)
                                                .reduce("", (a, b) -> a + b + "\n")));

        Result denied = drover("cluster", "--url", url, "--cacert", certs.caPem().toString());
        assertThat(denied.code()).isEqualTo(ExitCodes.DENIED);
        assertThat(denied.err()).contains("send a token").contains("DROVER_TOKEN");

        // The server reads the file again within a second.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(
                        () ->
                                drover(
                                                        "cluster",
                                                        "--url",
                                                        url,
                                                        "--cacert",
                                                        certs.caPem().toString(),
                                                        "--token-file",
                                                        tokenFile.toString())
                                                .code()
                                        == 0);
        Result submitted =
                drover(
                        "submit",
                        "--type",
                        "echo",
                        "--payload",
                        "{\"a\":1}",
                        "--wait",
                        "--url",
                        url,
                        "--cacert",
                        certs.caPem().toString(),
                        "--token-file",
                        tokenFile.toString());
        assertThat(submitted.code()).as(submitted.err()).isZero();

        Result drain =
                drover(
                        "drain",
                        "worker-1",
                        "--url",
                        url,
                        "--cacert",
                        certs.caPem().toString(),
                        "--token-file",
                        tokenFile.toString());
        assertThat(drain.code()).isEqualTo(ExitCodes.DENIED);
        assertThat(drain.err()).contains("needs the role operator; ci has submitter");
    }

    @Test
    void withoutCacert_theServersCertificateIsNotTrusted_andTheErrorSaysSo() {
        Result r = drover("cluster", "--url", url);

        assertThat(r.code()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err())
                .contains(
                        "its certificate is not trusted (pass the CA's certificate with --cacert");
    }

    @Test
    void aBadCacertOrTokenFile_isAUsageErrorNamingIt() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        Result r = drover("cluster", "--url", url, "--cacert", notPem.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--cacert " + notPem);

        Result missing =
                drover("cluster", "--url", url, "--token-file", dir.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("cannot read the token file");
    }
}
