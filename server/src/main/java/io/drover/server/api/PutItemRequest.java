package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.InvalidTaskException;
import io.drover.model.ItemSpec;
import io.drover.model.TaskSpec;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * The body of {@code PUT /v1/items/{id}}: the item's whole desired state. Unknown fields are
 * rejected, so a typo cannot silently drop a setting. A PUT replaces replicas and labels; the spec
 * is fixed once the item exists, so a PUT must repeat it (or leave it out if the item has none).
 *
 * @param replicas how many distinct workers should serve the item, 0 to {@value
 *     ItemSpec#MAX_REPLICAS}; required
 * @param spec what the item handler needs to load it, any JSON value; optional, fixed once declared
 * @param labels labels a worker must carry to serve it; optional (none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PutItemRequest(Integer replicas, JsonNode spec, Map<String, String> labels) {
    /**
     * Deepest spec nesting accepted: stored items are read back with {@link
     * io.drover.model.DroverJson#MAX_NESTING_DEPTH} and travel wrapped in LOAD commands, so a
     * deeper spec would be written but unreadable. Same cap as task payloads.
     */
    public static final int MAX_SPEC_DEPTH = TaskSpec.MAX_PAYLOAD_DEPTH;

    /**
     * The validated item for {@code id}; throws {@link InvalidTaskException} naming the first bad
     * field.
     */
    public ItemSpec toItem(String id) {
        if (replicas == null) {
            throw new InvalidTaskException(
                    "replicas",
                    "is required: how many workers should serve the item (0 to "
                            + ItemSpec.MAX_REPLICAS
                            + ")");
        }
        if (labels != null) {
            // ItemSpec copies labels into an immutable map, which refuses nulls: name the field
            // first.
            labels.forEach(
                    (k, v) -> {
                        if (v == null) {
                            throw new InvalidTaskException(
                                    "labels." + k, "must be a string, was null");
                        }
                    });
        }
        JsonNode s =
                spec == null || spec.isNull()
                        ? null
                        : spec; // null means "no spec", as leaving it out does
        if (s != null && depth(s) > MAX_SPEC_DEPTH) {
            throw new InvalidTaskException(
                    "spec", "is nested deeper than " + MAX_SPEC_DEPTH + " levels");
        }
        return new ItemSpec(ItemSpec.FORMAT_VERSION, id, replicas, labels, s, 0, 0, null)
                .validate();
    }

    /**
     * Nesting depth of a JSON value (a scalar is 0), without recursion, stopping once past the cap.
     */
    private static int depth(JsonNode root) {
        int max = 0;
        ArrayDeque<Map.Entry<JsonNode, Integer>> stack = new ArrayDeque<>();
        stack.push(Map.entry(root, 0));
        while (!stack.isEmpty() && max <= MAX_SPEC_DEPTH) {
            Map.Entry<JsonNode, Integer> e = stack.pop();
            if (e.getKey().isContainerNode()) {
                int d = e.getValue() + 1;
                max = Math.max(max, d);
                e.getKey().elements().forEachRemaining(child -> stack.push(Map.entry(child, d)));
            }
        }
        return max;
    }
}
