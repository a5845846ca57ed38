package io.drover.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.drover.model.DroverJson;
import io.drover.model.InvalidTaskException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JSON option such as {@code --payload} or {@code --spec}: JSON text, or {@code @FILE} to read it
 * from a file.
 */
final class JsonArgument {
    private JsonArgument() {}

    /**
     * The parsed value, null if the option was not given; a bad value is a usage error naming the
     * option.
     */
    static JsonNode read(String option, String value) {
        if (value == null) {
            return null;
        }
        String text = value;
        if (value.startsWith("@")) {
            try {
                text = Files.readString(Path.of(value.substring(1)));
            } catch (IOException e) {
                throw new InvalidTaskException(
                        option, "cannot read " + value.substring(1) + ": " + e.getMessage());
            }
        }
        try {
            return DroverJson.parsePayload(text);
        } catch (InvalidTaskException e) {
            throw new InvalidTaskException(
                    option,
                    "is not valid JSON ("
                            + e.getMessage()
                            + "); quote it, e.g. "
                            + option
                            + " '{\"n\":1}'");
        }
    }
}
