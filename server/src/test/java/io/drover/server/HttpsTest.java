package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.server.testing.PrincipalsFiles;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.TestCertificates;
import io.drover.testkit.ZooKeeperServerExtension;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS with a certificate made for the test, callers known by their client
 * certificate (mutual TLS) or by a token.
 */
class HttpsTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();
    @TempDir static Path dir;

    private static TestCertificates certs;
    private static PrincipalsFiles principals;
    private static ServerHarness server;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(dir.resolve("tls"));
        Path serverStore = certs.keyStore("localhost");
        principals = new PrincipalsFiles(dir.resolve("principals.yml"));
        principals.token("ci", "submitter");
        principals.certificate("CN=ops-console", "operator");
        Path file = principals.write();
        server =
                ServerHarness.start(
                        ZK.connectString(),
                        "https",
                        c -> {
                            c.security.principalsFile = file.toString();
                            ServerHarness.httpsOnly(
                                    c, serverStore, certs.trustStore(), TestCertificates.PASSWORD);
                        });
        url = "https://localhost:" + server.app().apiPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpClient client(Path keyStore, Path trustStore) throws Exception {
        KeyManagerFactory keys = null;
        if (keyStore != null) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keyStore), TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory trust =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore == null ? null : load(trustStore));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).build();
    }

    private static KeyStore load(Path p) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        return ks;
    }

    private static HttpResponse<String> post(HttpClient http, String path, String token)
            throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create(url + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aListedClientCertificate_isTheCallerWithItsRoles() throws Exception {
        HttpClient ops = client(certs.keyStore("ops-console"), certs.trustStore());

        assertThat(post(ops, "/v1/workers/nobody/drain", null).statusCode())
                .as("operator may drain; the worker does not exist")
                .isEqualTo(404);
    }

    @Test
    void aCertificateFromTheSameCaThatIsNotListed_is401() throws Exception {
        HttpClient stranger = client(certs.keyStore("stranger"), certs.trustStore());

        assertThat(post(stranger, "/v1/workers/nobody/drain", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenOverHttps_withoutAClientCertificate_works() throws Exception {
        HttpClient plain = client(null, certs.trustStore());

        assertThat(post(plain, "/v1/tasks", principals.tokenOf("ci")).statusCode())
                .as("submitter, an empty spec: authenticated, then refused for its content")
                .isEqualTo(400);
        assertThat(post(plain, "/v1/workers/nobody/drain", principals.tokenOf("ci")).statusCode())
                .isEqualTo(403);
    }

    @Test
    void aConsoleSessionOpenedOverHttps_hasASecureCookie() throws Exception {
        HttpClient plain = client(null, certs.trustStore());
        HttpResponse<String> r =
                plain.send(
                        HttpRequest.newBuilder(URI.create(url + "/v1/session"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"token\":\"" + principals.tokenOf("ci") + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Set-Cookie").orElseThrow())
                .contains("; HttpOnly", "; SameSite=Strict")
                .endsWith("; Secure");
    }

    @Test
    void aClientThatDoesNotTrustTheServersCa_cannotConnect() throws Exception {
        HttpClient untrusting = client(null, null); // the JDK's public CAs only

        assertThatThrownBy(() -> post(untrusting, "/v1/cluster", principals.tokenOf("ci")))
                .isInstanceOf(SSLHandshakeException.class);
    }
}
