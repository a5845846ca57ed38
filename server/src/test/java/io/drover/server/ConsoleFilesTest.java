package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.testing.PrincipalsFiles;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator serves the web console's files at {@code /} and {@code /console/} beside the API,
 * with headers that keep a browser from framing, sniffing or running injected script, and without
 * credentials even on a secured server (the files hold no data; the API does).
 */
class ConsoleFilesTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();
    @TempDir Path dir;

    private static void assertSecurityHeaders(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'", "frame-ancestors 'none'", "default-src 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    @Test
    void theRootServesTheConsole_itsFilesHaveTheirTypes_andTheApiStaysTheApi() throws Exception {
        try (ServerHarness server = ServerHarness.start(ZK.connectString(), "console-files")) {
            HttpResponse<String> index = server.get("/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("text/html");
            assertThat(index.body())
                    .contains("<script type=\"module\" src=\"/console/js/app.js\"></script>")
                    .doesNotContain("<script>")
                    .doesNotContain("style=");
            assertSecurityHeaders(index);

            HttpResponse<String> app = server.get("/console/js/app.js");
            assertThat(app.statusCode()).isEqualTo(200);
            assertThat(app.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("text/javascript");
            assertThat(server.get("/console/css/console.css").headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
            String etag = app.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again =
                    server.send(
                            HttpRequest.newBuilder(URI.create(server.url() + "/console/js/app.js"))
                                    .header("If-None-Match", etag)
                                    .build());
            assertThat(again.statusCode()).isEqualTo(304);

            HttpResponse<String> cluster = server.get("/v1/cluster");
            assertThat(cluster.statusCode()).isEqualTo(200);
            assertThat(cluster.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/json");
            assertSecurityHeaders(cluster);
            JsonNode session = DroverJson.mapper().readTree(server.get("/v1/session").body());
            assertThat(session.get("authentication").asBoolean()).isFalse();
            assertThat(server.post("/v1/session", "{\"token\":\"drv_x\"}").statusCode())
                    .as("nothing to sign in to")
                    .isEqualTo(404);
        }
    }

    @Test
    void onlyTheConsolesOwnFiles_areServed() throws Exception {
        try (ServerHarness server = ServerHarness.start(ZK.connectString(), "console-paths")) {
            for (String path :
                    new String[] {
                        "/console/",
                        "/console/nothing.js",
                        "/console/js/../../openapi.yaml",
                        "/console/%2e%2e/openapi.yaml",
                        "/console/js/App.js",
                        "/console/js/app.js.map",
                        "/console/io/drover/server/openapi.yaml"
                    }) {
                assertThat(server.get(path).statusCode()).as(path).isIn(400, 404);
            }
        }
    }

    @Test
    void onASecuredServer_theConsoleLoadsWithoutCredentials_butItsDataNeedsThem() throws Exception {
        PrincipalsFiles principals = new PrincipalsFiles(dir.resolve("principals.yml"));
        principals.token("ops", "operator");
        Path file = principals.write();
        try (ServerHarness server =
                ServerHarness.start(
                        ZK.connectString(),
                        "console-secured",
                        c -> c.security.principalsFile = file.toString())) {
            assertThat(server.get("/").statusCode()).isEqualTo(200);
            assertThat(server.get("/console/js/pages/signin.js").statusCode()).isEqualTo(200);
            assertThat(server.get("/v1/cluster").statusCode()).isEqualTo(401);
            assertThat(server.get("/v1/session").statusCode()).isEqualTo(401);
        }
    }
}
