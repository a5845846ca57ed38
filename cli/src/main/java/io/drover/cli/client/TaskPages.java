package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists tasks through {@code GET /v1/tasks}, page after page: the server reads a bounded number of
 * tasks per page, so a sparse filter may take several. Shared by {@code drover tasks} and {@code
 * drover retry --state}.
 */
final class TaskPages {
    /**
     * @param more whether more tasks match than {@code limit}
     */
    record Listing(List<JsonNode> tasks, boolean more) {}

    private TaskPages() {}

    /** At most {@code limit} tasks of the state and type (null: any), in the server's order. */
    static Listing list(ApiClient api, String state, String type, int limit) {
        List<JsonNode> tasks = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("state", state);
            q.put("type", type);
            q.put("limit", Math.min(1_000, limit - tasks.size()));
            q.put("pageToken", token);
            JsonNode page = api.get(ApiClient.query("/v1/tasks", q));
            page.get("tasks").forEach(tasks::add);
            token = page.hasNonNull("nextPageToken") ? page.get("nextPageToken").asText() : null;
        } while (token != null && tasks.size() < limit);
        return new Listing(tasks, token != null);
    }
}
