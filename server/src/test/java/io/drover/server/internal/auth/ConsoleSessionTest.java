package io.drover.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.testing.PrincipalsFiles;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/session}: a token opens a session whose signed cookie stands in for the token on every
 * request, with the roles the principals file gives now; a forged, expired or orphaned cookie is
 * refused.
 */
class ConsoleSessionTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();
    @TempDir static Path dir;

    private static PrincipalsFiles principals;
    private static ServerHarness server;
    private static Path keyFile;

    @BeforeAll
    static void start() throws Exception {
        principals = new PrincipalsFiles(dir.resolve("principals.yml"));
        principals.token("ops", "operator");
        principals.token("viewer", "reader");
        principals.token("leaver", "submitter");
        Path file = principals.write();
        keyFile = dir.resolve("session.key");
        Files.writeString(keyFile, io.drover.server.auth.Tokens.newToken() + "\n");
        server =
                ServerHarness.start(
                        ZK.connectString(),
                        "sessions",
                        c -> {
                            c.security.principalsFile = file.toString();
                            c.security.sessionKeyFile = keyFile.toString();
                        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> signIn(String token) throws Exception {
        return server.post("/v1/session", "{\"token\":\"" + token + "\"}");
    }

    /** The cookie's value from a sign-in's Set-Cookie. */
    private static String cookieOf(HttpResponse<String> signedIn) {
        String header = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        return header.substring(Sessions.COOKIE.length() + 1, header.indexOf(';'));
    }

    private static HttpResponse<String> withCookie(
            String method, String path, String cookie, String contentType, String body)
            throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("Cookie", Sessions.COOKIE + "=" + cookie)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        return server.send(r.build());
    }

    private static HttpResponse<String> get(String path, String cookie) throws Exception {
        return withCookie("GET", path, cookie, null, null);
    }

    @Test
    void signingInWithAnUnknownToken_is401_andSetsNoCookie() throws Exception {
        HttpResponse<String> r = signIn("drv_not-a-token-this-server-knows");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(r.body()).contains("does not list that token");
        assertThat(server.post("/v1/session", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void aSessionCookie_isHttpOnlyStrict_holdsNoToken_andReadsAndWritesAsItsPrincipal()
            throws Exception {
        String token = principals.tokenOf("ops");
        HttpResponse<String> in = signIn(token);

        assertThat(in.statusCode()).isEqualTo(200);
        String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .startsWith(Sessions.COOKIE + "=")
                .contains("; Path=/", "; HttpOnly", "; SameSite=Strict", "; Max-Age=28800")
                .doesNotContain("Secure"); // plain HTTP: a Secure cookie would never come back
        String cookie = cookieOf(in);
        assertThat(cookie).doesNotContain(token).doesNotContain(token.substring(4, 20));
        JsonNode me = DroverJson.mapper().readTree(get("/v1/session", cookie).body());
        assertThat(me.get("name").asText()).isEqualTo("ops");
        assertThat(me.get("via").asText()).isEqualTo("session");
        assertThat(me.get("expiresAtMs").asLong()).isGreaterThan(System.currentTimeMillis());

        assertThat(get("/v1/cluster", cookie).statusCode()).isEqualTo(200);
        HttpResponse<String> submitted =
                withCookie(
                        "POST", "/v1/tasks", cookie, "application/json", "{\"type\":\"parked\"}");
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        String id = DroverJson.mapper().readTree(submitted.body()).get("id").asText();
        JsonNode task = DroverJson.mapper().readTree(get("/v1/tasks/" + id, cookie).body());
        assertThat(task.get("submittedBy").asText()).isEqualTo("ops");
        assertThat(
                        withCookie(
                                        "POST",
                                        "/v1/workers/nobody/drain",
                                        cookie,
                                        "application/json",
                                        null)
                                .statusCode())
                .as("an operator's session may drain; no such worker")
                .isEqualTo(404);
    }

    @Test
    void aSessionHasItsPrincipalsRoles_andCrossSiteRulesStillHold() throws Exception {
        String cookie = cookieOf(signIn(principals.tokenOf("viewer")));

        assertThat(get("/v1/tasks", cookie).statusCode()).isEqualTo(200);
        HttpResponse<String> drain =
                withCookie("POST", "/v1/workers/nobody/drain", cookie, "application/json", null);
        assertThat(drain.statusCode()).isEqualTo(403);
        assertThat(drain.body()).contains("needs the role operator; viewer has reader");

        String ops = cookieOf(signIn(principals.tokenOf("ops")));
        HttpResponse<String> form =
                withCookie(
                        "POST",
                        "/v1/tasks",
                        ops,
                        "application/x-www-form-urlencoded",
                        "type=parked");
        assertThat(form.statusCode())
                .as("a form post carrying the cookie, as a cross-site page would send it")
                .isEqualTo(415);
    }

    @Test
    void aForgedCookie_isRefused() throws Exception {
        String viewer = cookieOf(signIn(principals.tokenOf("viewer")));
        String[] parts = viewer.split("\\.");
        String asOps =
                String.join(
                        ".",
                        parts[0],
                        Base64.getUrlEncoder()
                                .withoutPadding()
                                .encodeToString("ops".getBytes(StandardCharsets.UTF_8)),
                        parts[2],
                        parts[3]);
        String later =
                String.join(
                        ".",
                        parts[0],
                        parts[1],
                        Long.toString(Long.parseLong(parts[2]) + 1),
                        parts[3]);

        assertThat(get("/v1/cluster", viewer).statusCode()).isEqualTo(200);
        assertThat(get("/v1/cluster", asOps).statusCode()).as("another name").isEqualTo(401);
        assertThat(get("/v1/cluster", later).statusCode()).as("a later expiry").isEqualTo(401);
        assertThat(get("/v1/cluster", "v1.garbage").statusCode()).isEqualTo(401);
        assertThat(get("/v1/cluster", principals.tokenOf("ops")).statusCode())
                .as("a raw token is not a session")
                .isEqualTo(401);
    }

    @Test
    void anExpiredCookie_isRefused() throws Exception {
        Principals file = Principals.load(principals.path());
        byte[] key = Files.readString(keyFile).strip().getBytes(StandardCharsets.UTF_8);
        long anHourAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        Sessions past = new Sessions(file, key, Duration.ofMinutes(5), () -> anHourAgo);
        Sessions now = new Sessions(file, key, Duration.ofMinutes(5), System::currentTimeMillis);
        String expired = past.open(principals.tokenOf("ops")).orElseThrow().value();
        String fresh = now.open(principals.tokenOf("ops")).orElseThrow().value();

        assertThat(get("/v1/cluster", fresh).statusCode())
                .as("the same key and principal, not expired")
                .isEqualTo(200);
        assertThat(get("/v1/cluster", expired).statusCode()).isEqualTo(401);
    }

    @Test
    void aCookieOfAPrincipalRemovedFromTheFile_isRefused() throws Exception {
        String cookie = cookieOf(signIn(principals.tokenOf("leaver")));
        assertThat(get("/v1/tasks", cookie).statusCode()).isEqualTo(200);

        principals.revoke("leaver").write();

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> get("/v1/tasks", cookie).statusCode() == 401);
        assertThat(get("/v1/tasks", cookieOf(signIn(principals.tokenOf("viewer")))).statusCode())
                .as("the others' sessions go on")
                .isEqualTo(200);
    }

    @Test
    void signingOut_clearsTheCookie() throws Exception {
        HttpResponse<String> out = server.send("DELETE", "/v1/session", null, null);

        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith(Sessions.COOKIE + "=;")
                .contains("Max-Age=0", "HttpOnly", "SameSite=Strict");
    }
}
