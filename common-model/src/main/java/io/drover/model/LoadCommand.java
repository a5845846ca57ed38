package io.drover.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A leader's order to one worker, at {@code loadqueue/<workerId>/<itemId>}: load or drop an item.
 * The leader creates it in a multi fenced by its epoch; the worker carries it out and then, in one
 * multi, deletes it (checking its version) and creates or deletes {@code
 * served/<workerId>/<itemId>}. A worker that gives up on a LOAD says so by writing {@code failure}
 * into the command (versioned); the leader then deletes it and tries another worker.
 *
 * @param item the item as the leader saw it (a DROP needs only the id, but carries it all)
 * @param epoch the issuing leader's epoch, for logs and for handlers that fence downstream
 * @param issuedAtMs when the leader wrote it
 * @param failure null while pending; the last error once the worker gave up
 * @param attempts how many times the worker tried, once it gave up
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadCommand(
        @JsonProperty("v") int formatVersion,
        Action action,
        ItemSpec item,
        long epoch,
        long issuedAtMs,
        String failure,
        int attempts,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> unknown) {

    public static final int FORMAT_VERSION = 1;

    public enum Action {
        LOAD,
        DROP
    }

    public LoadCommand {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        unknown = Unknown.copy(unknown);
    }

    public static LoadCommand of(Action action, ItemSpec item, long epoch, long nowMs) {
        return new LoadCommand(FORMAT_VERSION, action, item, epoch, nowMs, null, 0, null);
    }

    public LoadCommand failed(String error, int tries) {
        return new LoadCommand(
                formatVersion,
                action,
                item,
                epoch,
                issuedAtMs,
                error == null ? "unknown error" : error,
                tries,
                unknown);
    }

    @JsonIgnore
    public boolean isFailed() {
        return failure != null;
    }

    @JsonIgnore
    public String itemId() {
        return item.id();
    }
}
