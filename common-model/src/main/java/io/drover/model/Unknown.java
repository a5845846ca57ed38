package io.drover.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fields of a record that this version of Drover does not know, as a newer writer left them
 * (Jackson's any-setter collects them, the any-getter writes them back). Every record that Drover
 * rewrites carries them, so a rolling upgrade never strips what a newer version wrote.
 */
final class Unknown {
    private Unknown() {}

    /** An immutable copy in name order; empty for none. */
    static Map<String, JsonNode> copy(Map<String, JsonNode> fields) {
        return fields == null || fields.isEmpty()
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new TreeMap<>(fields));
    }
}
