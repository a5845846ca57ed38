package io.drover.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.drover.model.DroverJson;
import java.util.Map;

/**
 * An item as an {@link ItemHandler} sees it. Immutable.
 *
 * @param id the item id
 * @param spec the item's spec as declared; a JSON null node when there was none
 * @param labels the labels the item requires of its workers
 * @param workerId this worker
 * @param epoch the epoch of the leader that sent the command; grows with every leader, so a
 *     downstream store can refuse a deposed leader's late orders
 */
public record Item(
        String id, JsonNode spec, Map<String, String> labels, String workerId, long epoch) {
    public Item {
        spec = spec == null ? NullNode.getInstance() : spec;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /**
     * The spec bound to a class with Jackson; throws {@link IllegalArgumentException} if it does
     * not fit.
     */
    public <T> T specAs(Class<T> type) {
        return DroverJson.mapper().convertValue(spec, type);
    }
}
