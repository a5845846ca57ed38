package io.drover.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.model.DroverPaths;
import java.net.http.HttpResponse;
import org.apache.curator.framework.CuratorFramework;

/**
 * The one check every bad request gets: its status, one JSON error shape naming the field, and
 * nothing written.
 */
public final class BadRequests {
    private BadRequests() {}

    /**
     * Sends the request and asserts the status, a JSON error body (never HTML, a stack trace or
     * nothing), the error code and field when given, and that the cluster's znode count did not
     * change.
     */
    public static void assertRejectedWithoutWrites(
            ServerHarness server,
            CuratorFramework zk,
            String cluster,
            String method,
            String path,
            String contentType,
            String body,
            int status,
            String error,
            String field)
            throws Exception {
        int znodesBefore = znodeCount(zk, cluster);
        HttpResponse<String> r = server.send(method, path, contentType, body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode json = DroverJson.mapper().readTree(r.body());
        assertThat(json != null && json.isObject()).as("a JSON error body: %s", r.body()).isTrue();
        assertThat(r.body()).doesNotContain("\tat ").doesNotContain("Exception:");
        assertThat(json.get("error").asText()).isNotBlank();
        if (error != null) {
            assertThat(json.get("error").asText()).isEqualTo(error);
            assertThat(json.get("status").asInt()).isEqualTo(status);
            assertThat(json.get("message").asText()).isNotBlank();
        }
        if (field != null) {
            assertThat(json.get("field").asText()).isEqualTo(field);
        }
        assertThat(znodeCount(zk, cluster)).as("nothing written anywhere").isEqualTo(znodesBefore);
    }

    private static int znodeCount(CuratorFramework zk, String cluster) throws Exception {
        return zk.getZookeeperClient()
                .getZooKeeper()
                .getAllChildrenNumber(new DroverPaths(cluster).root());
    }
}
