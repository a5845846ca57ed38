package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.drover.model.DroverJson;
import io.drover.server.auth.Role;
import io.drover.server.internal.http.OpenApiResource;
import io.drover.server.testing.PrincipalsFiles;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication and roles on both ports: every endpoint of the OpenAPI document, for every role,
 * answers as its {@code x-drover-role} says.
 */
class HttpAuthTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();
    @TempDir static Path dir;

    private static PrincipalsFiles principals;
    private static ServerHarness server;

    @BeforeAll
    static void start() throws Exception {
        principals = new PrincipalsFiles(dir.resolve("principals.yml"));
        for (Role r : Role.values()) {
            principals.token(r.wireName(), r.wireName());
        }
        principals.token("capped", "submitter", 3);
        Path file = principals.write();
        server =
                ServerHarness.start(
                        ZK.connectString(),
                        "auth",
                        c -> c.security.principalsFile = file.toString());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> call(String base, String method, String path, String token)
            throws Exception {
        return call(base, method, path, token, "{}");
    }

    private static HttpResponse<String> call(
            String base, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                method.equals("GET") || method.equals("DELETE")
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return server.send(r.build());
    }

    /** An operation's role; null for {@code none}, which anyone may call. */
    private record Operation(String method, String path, Role role) {}

    private static Role role(String name) {
        return name.equals("none") ? null : Role.parse(name);
    }

    private static List<Operation> documentedOperations() throws Exception {
        JsonNode doc;
        try (var in = OpenApiResource.class.getResourceAsStream(OpenApiResource.RESOURCE)) {
            doc = new YAMLMapper().readTree(in);
        }
        List<Operation> out = new ArrayList<>();
        doc.get("paths")
                .properties()
                .forEach(
                        p ->
                                p.getValue()
                                        .properties()
                                        .forEach(
                                                op ->
                                                        out.add(
                                                                new Operation(
                                                                        op.getKey().toUpperCase(),
                                                                        reachable(p.getKey()),
                                                                        role(
                                                                                op.getValue()
                                                                                        .path(
                                                                                                "x-drover-role")
                                                                                        .asText())))));
        return out;
    }

    /**
     * A path the test can call: ids made up, and the event stream given a bad resume point, so that
     * a caller it admits gets a 400 rather than a stream that never ends.
     */
    private static String reachable(String path) {
        String p = path.replace("{id}", "no-such-id").replace("{type}", "no-such-type");
        return p.equals("/v1/events") ? p + "?lastEventId=not-an-id" : p;
    }

    @Test
    void everyEndpoint_withoutATokenIs401_belowItsRoleIs403_atItsRoleIsServed() throws Exception {
        List<Operation> ops = documentedOperations();
        assertThat(ops).hasSize(35);
        List<String> table = new ArrayList<>();
        for (Operation op : ops) {
            if (op.role() == null) {
                assertThat(call(server.url(), op.method(), op.path(), null).statusCode())
                        .as(op + " needs no credentials")
                        .isNotIn(401, 403);
                continue;
            }
            HttpResponse<String> anonymous = call(server.url(), op.method(), op.path(), null);
            assertThat(anonymous.statusCode()).as(op + " without a token").isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                    .hasValue("Bearer realm=\"drover\"");
            assertThat(call(server.url(), op.method(), op.path(), "drv_forged").statusCode())
                    .as(op + " with an unknown token")
                    .isEqualTo(401);
            for (Role caller : Role.values()) {
                int status =
                        call(
                                        server.url(),
                                        op.method(),
                                        op.path(),
                                        principals.tokenOf(caller.wireName()))
                                .statusCode();
                table.add(
                        op.method() + " " + op.path() + " as " + caller.wireName() + ": " + status);
                if (caller.includes(op.role())) {
                    assertThat(status).as(op + " as " + caller).isNotIn(401, 403);
                } else {
                    assertThat(status).as(op + " as " + caller).isEqualTo(403);
                }
            }
        }
        System.out.println(String.join("\n", table));
    }

    @Test
    void aPrincipalWithACap_isRefusedBeyondIt_andItsTasksSayWhoSubmittedThem() throws Exception {
        String capped = principals.tokenOf("capped");
        java.util.List<String> accepted = new ArrayList<>();
        // Nobody runs "parked": the leader's count reaches the cap within a second or two.
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            HttpResponse<String> r =
                                    call(
                                            server.url(),
                                            "POST",
                                            "/v1/tasks",
                                            capped,
                                            "{\"type\":\"parked\"}");
                            if (r.statusCode() == 201) {
                                accepted.add(
                                        DroverJson.mapper().readTree(r.body()).get("id").asText());
                                return false;
                            }
                            assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                            assertThat(r.body()).contains("principal 'capped' has ");
                            return true;
                        });
        assertThat(accepted).hasSizeBetween(3, 30);
        assertThat(
                        call(
                                        server.url(),
                                        "POST",
                                        "/v1/tasks",
                                        principals.tokenOf("submitter"),
                                        "{\"type\":\"parked\"}")
                                .statusCode())
                .as("another principal is not held by this one's cap")
                .isEqualTo(201);
        HttpResponse<String> task =
                call(
                        server.url(),
                        "GET",
                        "/v1/tasks/" + accepted.get(0),
                        principals.tokenOf("reader"));
        assertThat(DroverJson.mapper().readTree(task.body()).get("submittedBy").asText())
                .isEqualTo("capped");
    }

    @Test
    void aReaderCannotSetATypePolicy_anOperatorCan_andTheReaderSeesIt() throws Exception {
        String body = "{\"maxConcurrent\":2}";
        HttpResponse<String> asReader =
                call(server.url(), "PUT", "/v1/types/guarded", principals.tokenOf("reader"), body);
        HttpResponse<String> asSubmitter =
                call(server.url(), "DELETE", "/v1/types/guarded", principals.tokenOf("submitter"));
        HttpResponse<String> asOperator =
                call(
                        server.url(),
                        "PUT",
                        "/v1/types/guarded",
                        principals.tokenOf("operator"),
                        body);

        assertThat(asReader.statusCode()).isEqualTo(403);
        assertThat(asReader.body()).contains("operator");
        assertThat(asSubmitter.statusCode()).isEqualTo(403);
        assertThat(asOperator.statusCode()).as(asOperator.body()).isEqualTo(201);
        HttpResponse<String> read =
                call(server.url(), "GET", "/v1/types/guarded", principals.tokenOf("reader"));
        assertThat(DroverJson.mapper().readTree(read.body()).at("/policy/maxConcurrent").asInt())
                .isEqualTo(2);
    }

    @Test
    void aForbiddenRequest_saysWhichRoleItNeeds() throws Exception {
        HttpResponse<String> r =
                call(server.url(), "POST", "/v1/workers/w1/drain", principals.tokenOf("submitter"));

        assertThat(r.statusCode()).isEqualTo(403);
        JsonNode body = DroverJson.mapper().readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("forbidden");
        assertThat(body.get("message").asText())
                .isEqualTo(
                        "POST /v1/workers/w1/drain needs the role operator; submitter has"
                                + " submitter");
    }

    @Test
    void theAuditLogNamesWhoWroteAndWhoWasRefused_onBothPorts() throws Exception {
        var lines =
                new ch.qos.logback.core.read.ListAppender<
                        ch.qos.logback.classic.spi.ILoggingEvent>();
        var audit =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("drover.audit");
        lines.start();
        audit.addAppender(lines);
        try {
            call(server.url(), "POST", "/v1/tasks/t1/cancel", principals.tokenOf("submitter"));
            call(server.url(), "POST", "/v1/workers/w1/drain", principals.tokenOf("reader"));
            call(server.url(), "GET", "/v1/tasks", null);
            call(server.adminUrl(), "POST", "/tasks/gc", principals.tokenOf("admin"));
            call(server.adminUrl(), "POST", "/tasks/gc", principals.tokenOf("reader"));
        } finally {
            audit.detachAppender(lines);
        }
        List<String> logged = new ArrayList<>();
        for (var e : List.copyOf(lines.list)) {
            JsonNode l = DroverJson.mapper().readTree(e.getFormattedMessage());
            logged.add(
                    l.get("principal").asText()
                            + " "
                            + l.get("action").asText()
                            + " "
                            + l.get("outcome").asInt());
        }
        assertThat(logged)
                .containsExactly(
                        "submitter POST /v1/tasks/t1/cancel 404",
                        "reader POST /v1/workers/w1/drain 403",
                        "anonymous GET /v1/tasks 401",
                        "admin POST /tasks/gc 200",
                        "reader POST /tasks/gc 403");
    }

    @Test
    void adminPort_healthNeedsReader_tasksAndThreadsNeedAdmin() throws Exception {
        String admin = server.adminUrl();
        assertThat(call(admin, "GET", "/healthcheck", null).statusCode()).isEqualTo(401);
        assertThat(call(admin, "GET", "/healthcheck", principals.tokenOf("reader")).statusCode())
                .isEqualTo(200);
        assertThat(call(admin, "GET", "/prometheus", principals.tokenOf("reader")).statusCode())
                .isEqualTo(200);
        assertThat(call(admin, "GET", "/threads", principals.tokenOf("operator")).statusCode())
                .isEqualTo(403);
        assertThat(call(admin, "POST", "/tasks/gc", principals.tokenOf("operator")).statusCode())
                .isEqualTo(403);
        assertThat(call(admin, "POST", "/tasks/gc", principals.tokenOf("admin")).statusCode())
                .isEqualTo(200);
        assertThat(call(admin, "GET", "/threads", principals.tokenOf("admin")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void tokensAreAddedAndRevokedWithoutARestart_aBrokenFileKeepsThePreviousOne() throws Exception {
        String added = principals.token("added", "reader");
        principals.write();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> call(server.url(), "GET", "/v1/cluster", added).statusCode() == 200);

        principals.revoke("added").write();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> call(server.url(), "GET", "/v1/cluster", added).statusCode() == 401);

        String good = Files.readString(principals.path());
        Files.writeString(principals.path(), "tokens: [oops");
        try {
            // Re-read at most once a second: for 1.5 s the server has certainly seen the bad file.
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(5))
                    .until(
                            () ->
                                    call(
                                                            server.url(),
                                                            "GET",
                                                            "/v1/cluster",
                                                            principals.tokenOf("reader"))
                                                    .statusCode()
                                            == 200);
        } finally {
            Files.writeString(principals.path(), good);
        }
    }
}
