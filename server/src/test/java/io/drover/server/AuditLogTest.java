package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Every write through the API, and every refusal for how much, is one JSON line. */
class AuditLogTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger audit = (Logger) LoggerFactory.getLogger("drover.audit");
    private ServerHarness server;

    @AfterEach
    void stop() {
        audit.detachAppender(lines);
        if (server != null) {
            server.close();
        }
    }

    private List<JsonNode> auditLines() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(lines.list)) {
            out.add(DroverJson.mapper().readTree(e.getFormattedMessage()));
        }
        return out;
    }

    @Test
    void writesAndRefusalsAreLogged_readsAreNot() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "audit", c -> c.api.maxLiveTasks = 1);
        lines.start();
        audit.addAppender(lines);

        String id =
                DroverJson.mapper()
                        .readTree(server.post("/v1/tasks", "{\"type\":\"t\"}").body())
                        .get("id")
                        .asText();
        server.get("/v1/tasks/" + id);
        server.post("/v1/tasks", "{\"type\":\"t\"}"); // over the cap of one: 429
        server.post("/v1/tasks", "{\"type\":\"t\",\"priorty\":1}"); // a typo: 400
        server.send("DELETE", "/v1/tasks/" + id, null, null);

        List<JsonNode> logged = auditLines();
        assertThat(logged)
                .extracting(l -> l.get("action").asText() + " " + l.get("outcome").asInt())
                .containsExactly(
                        "POST /v1/tasks 201",
                        "POST /v1/tasks 429",
                        "POST /v1/tasks 400",
                        "DELETE /v1/tasks/" + id + " " + logged.get(3).get("outcome").asInt());
        assertThat(logged)
                .allSatisfy(
                        l -> {
                            assertThat(l.get("principal").asText()).isEqualTo("anonymous");
                            assertThat(l.get("remote").asText()).isEqualTo("127.0.0.1");
                            assertThat(l.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                        });
    }

    @Test
    void typePolicyWrites_areAuditedWithTheirOutcome() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "audit-types");
        lines.start();
        audit.addAppender(lines);

        server.send("PUT", "/v1/types/resize", "application/json", "{\"maxConcurrent\":2}");
        server.send("PUT", "/v1/types/resize", "application/json", "{\"maxConcurrent\":-2}");
        server.get("/v1/types/resize");
        server.send("DELETE", "/v1/types/resize", null, null);

        assertThat(auditLines())
                .extracting(l -> l.get("action").asText() + " " + l.get("outcome").asInt())
                .containsExactly(
                        "PUT /v1/types/resize 201",
                        "PUT /v1/types/resize 400",
                        "DELETE /v1/types/resize 200");
    }
}
