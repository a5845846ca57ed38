package io.drover.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * The leader's count of live (not yet ended) tasks: of every task type that has a cap ({@link
 * TypePolicy#maxLiveTasks()}), of every principal that submitted through the API, and their specs'
 * bytes; published at {@code leader/live} at most once a second and only when it changed;
 * submitters read it to refuse what would go beyond a cap. Advisory: written behind the leader's
 * epoch check like all its writes, but a stale count only makes the cap softer.
 *
 * @param epoch the term that counted
 * @param countedAtMs when, by the leader's clock
 * @param types by type: live tasks and the cap
 * @param principals live tasks by who submitted them through the API ({@code submittedBy})
 * @param specBytes the encoded size of the specs of all live tasks (those whose status records it)
 * @param tasksByType pending and in-flight tasks of every type that has any, for {@code GET
 *     /v1/types}; at most {@link #MAX_TYPES_LISTED} types (the busiest); absent from a leader older
 *     than this field
 * @param rateLimited types whose rate limit ({@link TypePolicy#rateLimit()}) held back tasks that
 *     were due at the leader's last dispatch pass, sorted; at most {@link #MAX_TYPES_LISTED}
 *     (absent from a leader older than this field), for {@code explain}
 */
public record LiveCounts(
        @JsonProperty("v") int formatVersion,
        long epoch,
        long countedAtMs,
        Map<String, TypeCount> types,
        @com.fasterxml.jackson.annotation.JsonInclude(
                        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                Map<String, Long> principals,
        @com.fasterxml.jackson.annotation.JsonInclude(
                        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
                long specBytes,
        @com.fasterxml.jackson.annotation.JsonInclude(
                        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                Map<String, TypeTasks> tasksByType,
        @com.fasterxml.jackson.annotation.JsonInclude(
                        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                EndedCounts ended,
        @com.fasterxml.jackson.annotation.JsonInclude(
                        com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                java.util.List<String> rateLimited) {
    public static final int FORMAT_VERSION = 1;

    /** Types {@link #tasksByType} holds at most, so that the node stays small whatever is sent. */
    public static final int MAX_TYPES_LISTED = 1_000;

    /** Live tasks of one type and its cap. */
    public record TypeCount(long live, long max) {}

    /**
     * Tasks of one type not yet ended.
     *
     * @param pending waiting in the pending index (including backoff and delayed starts)
     * @param running assigned to a worker or running there (the leader does not tell the two apart
     *     per type)
     */
    public record TypeTasks(long pending, long running) {}

    /** Retained ended tasks (still in the retention index) by how they ended. */
    public record EndedCounts(long succeeded, long failed, long cancelled) {}

    public LiveCounts {
        if (formatVersion == 0) {
            formatVersion = FORMAT_VERSION;
        }
        types = types == null ? Map.of() : Map.copyOf(new TreeMap<>(types));
        principals = principals == null ? Map.of() : Map.copyOf(new TreeMap<>(principals));
        tasksByType = tasksByType == null ? Map.of() : Map.copyOf(new TreeMap<>(tasksByType));
        rateLimited =
                rateLimited == null
                        ? java.util.List.of()
                        : java.util.List.copyOf(new java.util.TreeSet<>(rateLimited));
    }

    /** Checks what a hand could have written wrong: negative counts, caps out of range. */
    public LiveCounts validate() {
        if (specBytes < 0 || principals.values().stream().anyMatch(n -> n == null || n < 0)) {
            throw new InvalidTaskException("principals", "counts must not be negative");
        }
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
        tasksByType.forEach(
                (type, t) -> {
                    if (t == null || t.pending() < 0 || t.running() < 0) {
                        throw new InvalidTaskException(
                                "tasksByType." + type, "counts must not be negative");
                    }
                });
        if (ended != null
                && (ended.succeeded() < 0 || ended.failed() < 0 || ended.cancelled() < 0)) {
            throw new InvalidTaskException("ended", "counts must not be negative");
        }
        if (rateLimited.size() > MAX_TYPES_LISTED) {
            throw new InvalidTaskException(
                    "rateLimited", "must hold at most " + MAX_TYPES_LISTED + " types");
        }
        if (tasksByType.size() > MAX_TYPES_LISTED) {
            throw new InvalidTaskException(
                    "tasksByType", "must hold at most " + MAX_TYPES_LISTED + " types");
        }
        return this;
    }
}
