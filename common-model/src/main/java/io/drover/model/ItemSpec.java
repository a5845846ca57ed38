package io.drover.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The desired state of a long-lived item (a segment, a shard, a model...), stored at {@code
 * items/<id>}: how many workers should hold it, which labels they must carry, and a small spec that
 * the item handler receives. The leader converges the served replicas to this.
 *
 * @param formatVersion the JSON format version ({@code v}); readers ignore fields they do not know
 * @param id the item id (a znode name)
 * @param replicas how many distinct workers should serve it; 0 keeps the declaration but serves it
 *     nowhere
 * @param labels labels a worker must carry, all of them with equal values, to serve it
 * @param spec what the handler needs to load it, any JSON value (may be null); fixed once the item
 *     exists
 * @param createdAtMs set by the store
 * @param updatedAtMs set by the store on every change
 * @param unknown fields a newer writer added that this version does not know, kept through rewrites
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemSpec(
        @JsonProperty("v") int formatVersion,
        String id,
        int replicas,
        Map<String, String> labels,
        JsonNode spec,
        long createdAtMs,
        long updatedAtMs,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknown) {

    public static final int FORMAT_VERSION = 1;
    public static final int MAX_REPLICAS = 64;

    /** Cap on an encoded item: LOAD commands carry it inline, and many travel in one multi. */
    public static final int MAX_BYTES = 16 * 1024;

    public ItemSpec {
        labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        unknown = Unknown.copy(unknown);
    }

    public static ItemSpec of(String id, int replicas) {
        return new ItemSpec(FORMAT_VERSION, id, replicas, Map.of(), null, 0, 0, null);
    }

    public ItemSpec withLabels(Map<String, String> newLabels) {
        return new ItemSpec(
                formatVersion, id, replicas, newLabels, spec, createdAtMs, updatedAtMs, unknown);
    }

    public ItemSpec withSpec(JsonNode newSpec) {
        return new ItemSpec(
                formatVersion, id, replicas, labels, newSpec, createdAtMs, updatedAtMs, unknown);
    }

    public ItemSpec withReplicas(int n) {
        return new ItemSpec(formatVersion, id, n, labels, spec, createdAtMs, updatedAtMs, unknown);
    }

    public ItemSpec withTimes(long created, long updated) {
        return new ItemSpec(formatVersion, id, replicas, labels, spec, created, updated, unknown);
    }

    /** Checks every rule; the exception names the field. Returns this. */
    public ItemSpec validate() {
        Names.checkId("id", id);
        if (replicas < 0 || replicas > MAX_REPLICAS) {
            throw new InvalidTaskException(
                    "replicas", "must be between 0 and " + MAX_REPLICAS + ", was " + replicas);
        }
        Names.checkLabels("labels", labels);
        int bytes = DroverJson.encode(this).length;
        if (bytes > MAX_BYTES) {
            throw new PayloadTooLargeException(
                    "spec",
                    "the item encodes to "
                            + bytes
                            + " bytes, over the cap of "
                            + MAX_BYTES
                            + " (keep specs small: point at the data, do not carry it)",
                    bytes,
                    MAX_BYTES);
        }
        return this;
    }

    /** True when only replicas, labels or times differ: the spec a worker loaded still holds. */
    public boolean sameSpec(ItemSpec other) {
        return Objects.equals(spec, other.spec);
    }

    public boolean servableBy(WorkerInfo worker) {
        return worker.servesItems() && Names.labelsMatch(labels, worker.labels());
    }
}
