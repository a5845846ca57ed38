package io.drover.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * The leader's count of live (not yet ended) tasks of every task type that has a cap ({@link
 * TypePolicy#maxLiveTasks()}), published at {@code leader/live} at most once a second and only when
 * it changed; submitters read it to refuse what would go beyond a cap. Advisory: written behind the
 * leader's epoch check like all its writes, but a stale count only makes the cap softer.
 *
 * @param epoch the term that counted
 * @param countedAtMs when, by the leader's clock
 * @param types by type: live tasks and the cap
 */
public record LiveCounts(
        @JsonProperty("v") int formatVersion,
        long epoch,
        long countedAtMs,
        Map<String, TypeCount> types) {
    public static final int FORMAT_VERSION = 1;

    /** Live tasks of one type and its cap. */
    public record TypeCount(long live, long max) {}

    public LiveCounts {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        types = types == null ? Map.of() : Map.copyOf(new TreeMap<>(types));
    }

    /** Checks what a hand could have written wrong: negative counts, caps out of range. */
    public LiveCounts validate() {
        types.forEach(
                (type, c) -> {
                    if (c == null
                            || c.live() < 0
                            || c.max() < 1
                            || c.max() > TypePolicy.MAX_LIVE_TASKS) {
                        throw new InvalidTaskException(
                                "types." + type,
                                "must have live >= 0 and max between 1 and "
                                        + TypePolicy.MAX_LIVE_TASKS);
                    }
                });
        return this;
    }
}
