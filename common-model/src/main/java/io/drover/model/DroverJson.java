package io.drover.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one JSON codec for everything Drover stores in ZooKeeper. It is a tolerant reader: unknown
 * fields are ignored, missing fields take defaults, so newer writers and older readers coexist.
 * Thread-safe.
 */
public final class DroverJson {
    /** Deep nesting is a cheap denial of service against a parser; no task needs more than this. */
    public static final int MAX_NESTING_DEPTH = 64;

    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .build();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    }

    private DroverJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** Reads a znode's data, naming the path when it is not what Drover wrote. */
    public static <T> T decode(String path, byte[] data, Class<T> type) {
        if (data == null || data.length == 0) {
            throw new CorruptZnodeException(
                    path, "empty, expected a " + type.getSimpleName() + " JSON object", null);
        }
        try {
            T value = MAPPER.readValue(data, type);
            if (value == null) {
                throw new CorruptZnodeException(
                        path, "null, expected a " + type.getSimpleName() + " JSON object", null);
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptZnodeException c) {
                throw c;
            }
            throw new CorruptZnodeException(
                    path,
                    "not a " + type.getSimpleName() + " JSON object (" + firstLine(e) + ")",
                    e);
        }
    }

    /**
     * Parses user-supplied JSON text for a payload; the error names the payload, not a stack trace.
     */
    public static JsonNode parsePayload(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidTaskException("payload", "is not valid JSON (" + firstLine(e) + ")");
        }
    }

    public static String toJson(Object value) {
        return new String(encode(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
