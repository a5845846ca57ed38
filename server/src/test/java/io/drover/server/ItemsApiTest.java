package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.server.testing.BadRequests;
import io.drover.server.testing.ServerHarness;
import io.drover.testkit.ZooKeeperServerExtension;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /v1/items} against a real coordinator server and ZooKeeper. No worker serves items here,
 * so nothing is ever served: these tests are about declarations, the answers and bad input (the
 * convergence tests live with the coordinator). Each test uses its own item ids on one server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ItemsApiTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private static final String SPEC = "{\"uri\":\"s3://bucket/seg-1\",\"bytes\":1024}";

    private ServerHarness server;

    @BeforeAll
    void start() throws Exception {
        server = ServerHarness.start(ZK.connectString(), "items");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private HttpResponse<String> put(String id, String body) throws Exception {
        return server.send("PUT", "/v1/items/" + id, "application/json", body);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return DroverJson.mapper().readTree(r.body());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void putNewItem_is201_withLocation_andShowsItUnservedWithNoWorkers() throws Exception {
        HttpResponse<String> r =
                put(
                        "seg-new",
                        "{\"replicas\":2,\"spec\":" + SPEC + ",\"labels\":{\"tier\":\"hot\"}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/v1/items/seg-new");
        JsonNode item = json(r);
        assertThat(item.get("id").asText()).isEqualTo("seg-new");
        assertThat(item.get("replicas").asInt()).isEqualTo(2);
        assertThat(item.get("served").asInt()).isZero();
        assertThat(item.get("servedBy")).isEmpty();
        assertThat(item.get("loading")).isEmpty();
        assertThat(item.get("dropping")).isEmpty();
        assertThat(item.get("state").asText()).isEqualTo("UNSERVED");
        assertThat(item.get("labels").get("tier").asText()).isEqualTo("hot");
        assertThat(item.get("spec")).isEqualTo(DroverJson.parsePayload(SPEC));
        assertThat(item.get("createdAtMs").asLong())
                .isPositive()
                .isEqualTo(item.get("updatedAtMs").asLong());
        assertThat(item.get("created").asBoolean()).isTrue();
        assertThat(item.get("changed").asBoolean()).isTrue();
    }

    @Test
    void putSameItemTwice_secondIsUnchanged200() throws Exception {
        String body = "{\"replicas\":1,\"spec\":" + SPEC + "}";
        JsonNode first = json(put("seg-twice", body));
        HttpResponse<String> again = put("seg-twice", body);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Location")).isEmpty();
        assertThat(json(again).get("created").asBoolean()).isFalse();
        assertThat(json(again).get("changed").asBoolean()).isFalse();
        assertThat(json(again).get("updatedAtMs").asLong())
                .as("nothing written")
                .isEqualTo(first.get("updatedAtMs").asLong());
    }

    @Test
    void putWithADifferentSpec_is409Conflict_andTheItemKeepsItsSpec() throws Exception {
        assertThat(put("seg-fixed", "{\"replicas\":1,\"spec\":" + SPEC + "}").statusCode())
                .isEqualTo(201);

        HttpResponse<String> other =
                put("seg-fixed", "{\"replicas\":1,\"spec\":{\"uri\":\"s3://elsewhere\"}}");
        HttpResponse<String> none = put("seg-fixed", "{\"replicas\":1}");

        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(json(other).get("error").asText()).isEqualTo("conflict");
        assertThat(json(other).get("message").asText()).contains("seg-fixed");
        assertThat(json(other).get("retryable").asBoolean()).isFalse();
        assertThat(none.statusCode())
                .as("leaving the spec out is a different spec, not 'keep it'")
                .isEqualTo(409);
        assertThat(json(server.get("/v1/items/seg-fixed")).get("spec"))
                .isEqualTo(DroverJson.parsePayload(SPEC));
    }

    @Test
    void putWithNewReplicasAndLabels_is200Changed_andKeepsItsCreationTime() throws Exception {
        JsonNode created =
                json(
                        put(
                                "seg-scale",
                                "{\"replicas\":1,\"spec\":"
                                        + SPEC
                                        + ",\"labels\":{\"tier\":\"hot\"}}"));

        HttpResponse<String> scaled =
                put(
                        "seg-scale",
                        "{\"replicas\":3,\"spec\":"
                                + SPEC
                                + ",\"labels\":{\"tier\":\"cold\",\"zone\":\"eu-1\"}}");

        assertThat(scaled.statusCode()).isEqualTo(200);
        JsonNode item = json(scaled);
        assertThat(item.get("created").asBoolean()).isFalse();
        assertThat(item.get("changed").asBoolean()).isTrue();
        assertThat(item.get("replicas").asInt()).isEqualTo(3);
        assertThat(item.get("createdAtMs").asLong()).isEqualTo(created.get("createdAtMs").asLong());
        assertThat(item.get("updatedAtMs").asLong())
                .isGreaterThanOrEqualTo(created.get("updatedAtMs").asLong());
        JsonNode read = json(server.get("/v1/items/seg-scale"));
        assertThat(read.get("replicas").asInt()).isEqualTo(3);
        assertThat(read.get("labels").get("tier").asText()).isEqualTo("cold");
        assertThat(read.get("labels").get("zone").asText()).isEqualTo("eu-1");
        assertThat(read.has("changed") || read.has("created"))
                .as("only PUT answers say what they did")
                .isFalse();

        JsonNode parked = json(put("seg-scale", "{\"replicas\":0,\"spec\":" + SPEC + "}"));
        assertThat(parked.get("replicas").asInt()).isZero();
        assertThat(parked.get("labels")).as("a PUT replaces the labels").isEmpty();
        assertThat(parked.get("state").asText()).as("zero wanted, zero served").isEqualTo("SERVED");
    }

    @Test
    void putWithoutSpec_declaresAnItemWithNone_andNullMeansTheSame() throws Exception {
        HttpResponse<String> r = put("seg-bare", "{\"replicas\":1}");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(json(r).has("spec")).isFalse();
        HttpResponse<String> again =
                put("seg-bare", "{\"replicas\":1,\"spec\":null,\"labels\":null}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).get("changed").asBoolean()).isFalse();
    }

    @Test
    void listing_isSortedById_andGetShowsOneItem_orNamesTheMissingOne() throws Exception {
        for (String id : new String[] {"list-c", "list-a", "list-b"}) {
            assertThat(put(id, "{\"replicas\":1}").statusCode()).isEqualTo(201);
        }

        HttpResponse<String> list = server.get("/v1/items");
        assertThat(list.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(list).get("items").forEach(i -> ids.add(i.get("id").asText()));
        assertThat(ids).isSorted().contains("list-a", "list-b", "list-c");
        assertThat(json(server.get("/v1/cluster")).get("items").asInt())
                .as("the cluster counts them")
                .isEqualTo(ids.size());

        JsonNode one = json(server.get("/v1/items/list-b"));
        assertThat(one.get("id").asText()).isEqualTo("list-b");
        assertThat(texts(one.get("servedBy"))).isEmpty();

        HttpResponse<String> missing = server.get("/v1/items/list-zzz");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("not_found");
        assertThat(json(missing).get("message").asText()).contains("list-zzz");
    }

    @Test
    void delete_is200_thenTheItemIsGone_andASecondDeleteIs404() throws Exception {
        put("seg-gone", "{\"replicas\":2}");

        HttpResponse<String> deleted = server.send("DELETE", "/v1/items/seg-gone", null, null);

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(json(deleted).get("id").asText()).isEqualTo("seg-gone");
        assertThat(json(deleted).get("deleted").asBoolean()).isTrue();
        assertThat(server.get("/v1/items/seg-gone").statusCode()).isEqualTo(404);
        HttpResponse<String> again = server.send("DELETE", "/v1/items/seg-gone", null, null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(json(again).get("error").asText()).isEqualTo("not_found");
        assertThat(put("seg-gone", "{\"replicas\":1,\"spec\":{\"v\":2}}").statusCode())
                .as("the id is free again, for any spec")
                .isEqualTo(201);
    }

    static Stream<Arguments> badRequests() {
        String item = "/v1/items/bad-item";
        return Stream.of(
                // method, path, body, status, error code, field
                Arguments.of("PUT", item, "{\"replicas\":\"2\"}", 400, "invalid_field", "replicas"),
                Arguments.of("PUT", item, "{\"replicas\":1.5}", 400, "invalid_field", "replicas"),
                Arguments.of("PUT", item, "{\"replicas\":true}", 400, "invalid_field", "replicas"),
                Arguments.of(
                        "PUT",
                        item,
                        "{\"replicas\":99999999999}",
                        400,
                        "invalid_field",
                        "replicas"),
                Arguments.of("PUT", item, "{\"replicas\":-1}", 400, "invalid_field", "replicas"),
                Arguments.of("PUT", item, "{\"replicas\":65}", 400, "invalid_field", "replicas"),
                Arguments.of("PUT", item, "{}", 400, "invalid_field", "replicas"),
                Arguments.of("PUT", item, "{\"replicas\":null}", 400, "invalid_field", "replicas"),
                Arguments.of(
                        "PUT",
                        item,
                        "{\"replicas\":1,\"replica\":2}",
                        400,
                        "unknown_field",
                        "replica"),
                Arguments.of(
                        "PUT",
                        item,
                        "{\"replicas\":1,\"labels\":{\"bad key\":\"v\"}}",
                        400,
                        "invalid_field",
                        "labels"),
                Arguments.of(
                        "PUT",
                        item,
                        "{\"replicas\":1,\"labels\":{\"tier\":\"h t\"}}",
                        400,
                        "invalid_field",
                        "labels.tier"),
                Arguments.of(
                        "PUT",
                        item,
                        "{\"replicas\":1,\"labels\":{\"tier\":null}}",
                        400,
                        "invalid_field",
                        "labels.tier"),
                Arguments.of(
                        "PUT",
                        item,
                        "{\"replicas\":1,\"labels\":{\"tier\":5}}",
                        400,
                        "invalid_field",
                        "labels.tier"),
                Arguments.of(
                        "PUT",
                        item,
                        "{\"replicas\":1,\"labels\":[\"tier\"]}",
                        400,
                        "invalid_field",
                        "labels"),
                Arguments.of(
                        "PUT",
                        item,
                        "{\"replicas\":1,\"spec\":\"" + "x".repeat(17 * 1024) + "\"}",
                        413,
                        "payload_too_large",
                        "spec"),
                Arguments.of(
                        "PUT",
                        item,
                        "{\"replicas\":1,\"spec\":" + "[".repeat(60) + "]".repeat(60) + "}",
                        400,
                        "invalid_field",
                        "spec"),
                Arguments.of(
                        "PUT",
                        item,
                        "{\"replicas\":1,\"replicas\":2}",
                        400,
                        "malformed_json",
                        null),
                Arguments.of("PUT", item, "{\"replicas\":1", 400, "malformed_json", null),
                Arguments.of("PUT", item, "[1]", 400, "malformed_json", null),
                Arguments.of("PUT", item, "", 400, "invalid_field", "body"),
                Arguments.of(
                        "PUT",
                        "/v1/items/" + "i".repeat(200),
                        "{\"replicas\":1}",
                        400,
                        "invalid_field",
                        "id"),
                Arguments.of(
                        "PUT",
                        "/v1/items/-starts-with-a-dash",
                        "{\"replicas\":1}",
                        400,
                        "invalid_field",
                        "id"),
                Arguments.of(
                        "PUT",
                        "/v1/items/a%2Fb",
                        "{\"replicas\":1}",
                        400,
                        "bad_request",
                        null), // refused by Jetty itself
                Arguments.of(
                        "PUT",
                        "/v1/items/..%2F..%2Fleader%2Fepoch",
                        "{\"replicas\":1}",
                        400,
                        "bad_request",
                        null),
                Arguments.of("DELETE", "/v1/items/a%2Fb", null, 400, "bad_request", null),
                Arguments.of(
                        "GET", "/v1/items/" + "i".repeat(200), null, 400, "invalid_field", "id"),
                Arguments.of(
                        "DELETE", "/v1/items/" + "i".repeat(200), null, 400, "invalid_field", "id"),
                Arguments.of("GET", "/v1/items/no-such-item", null, 404, "not_found", null),
                Arguments.of("DELETE", "/v1/items/no-such-item", null, 404, "not_found", null),
                Arguments.of(
                        "POST", "/v1/items", "{\"replicas\":1}", 405, "method_not_allowed", null),
                Arguments.of(
                        "PUT", "/v1/items", "{\"replicas\":1}", 405, "method_not_allowed", null));
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {3} {5}")
    @MethodSource("badRequests")
    void badRequest_getsItsStatusAndAJsonErrorNamingTheField_andWritesNothing(
            String method, String path, String body, int status, String error, String field)
            throws Exception {
        BadRequests.assertRejectedWithoutWrites(
                server,
                ZK.newClient(),
                "items",
                method,
                path,
                body == null ? null : "application/json",
                body,
                status,
                error,
                field);
    }

    @Test
    void putAsPlainText_is415() throws Exception {
        HttpResponse<String> r =
                server.send("PUT", "/v1/items/bad-item", "text/plain", "{\"replicas\":1}");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(json(r).get("error").asText()).isEqualTo("unsupported_media_type");
    }

    /** Every znode of the cluster: a refused request must not leave one anywhere. */
}
