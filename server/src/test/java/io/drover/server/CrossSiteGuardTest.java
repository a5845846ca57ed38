package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a web page can make a browser send (a form's POST) cannot write. */
class CrossSiteGuardTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private static ServerHarness server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "cross-site");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String path, String contentType, String header)
            throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .POST(HttpRequest.BodyPublishers.ofString("a=b"));
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        if (header != null) {
            r.header("X-Drover-Client", header);
        }
        return server.send(r.build());
    }

    @Test
    void formPosts_toDrainOrCancel_are415_andChangeNothing() throws Exception {
        server.startWorker("w1", 1);
        for (String type :
                new String[] {
                    "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x",
                    "text/plain",
                    null
                }) {
            HttpResponse<String> drain = post("/v1/workers/w1/drain", type, null);
            assertThat(drain.statusCode()).as(String.valueOf(type)).isEqualTo(415);
            JsonNode error = DroverJson.mapper().readTree(drain.body());
            assertThat(error.get("error").asText()).isEqualTo("unsupported_media_type");
            assertThat(post("/v1/tasks/t1/cancel", type, null).statusCode()).isEqualTo(415);
        }
        JsonNode w1 = DroverJson.mapper().readTree(server.get("/v1/workers/w1").body());
        assertThat(w1.get("state").asText()).as("not drained").isEqualTo("ACTIVE");
    }

    @Test
    void jsonOrTheClientHeader_getThrough() throws Exception {
        assertThat(post("/v1/workers/nobody/drain", "application/json", null).statusCode())
                .isEqualTo(404);
        assertThat(post("/v1/workers/nobody/drain", null, "cli").statusCode()).isEqualTo(404);
    }
}
