package io.drover.coordinator.internal;

import io.drover.model.LiveCounts;
import io.drover.model.RateLimit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The leader's token buckets, one per type with a rate limit ({@link TokenBucket}), and which types
 * the rate held back at the last dispatch pass (published in {@code leader/live} for {@code
 * explain}; a wake-up is due when their next token is). A bucket starts empty when the leader first
 * learns the limit (at the start of its term, or when the policy gains one) and keeps its tokens
 * when the limit changes. Pure: the caller passes the time. Not thread-safe: the leader's thread
 * only.
 */
final class RateLimits {
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final TreeSet<String> held = new TreeSet<>();

    /** The type's limit as its policy says now; null: none. */
    void limit(String type, RateLimit limit, long nowMs) {
        if (limit == null) {
            buckets.remove(type);
            held.remove(type);
            return;
        }
        TokenBucket b = buckets.get(type);
        if (b == null) {
            buckets.put(type, new TokenBucket(limit, nowMs));
        } else if (!b.limit().equals(limit)) {
            b.change(limit, nowMs);
        }
    }

    /** How many tasks of the type may start now: unlimited without a limit. */
    int allowance(String type, long nowMs) {
        TokenBucket b = buckets.get(type);
        return b == null ? Integer.MAX_VALUE : b.available(nowMs);
    }

    void started(String type) {
        TokenBucket b = buckets.get(type);
        if (b != null) {
            b.take();
        }
    }

    void notStarted(String type) {
        TokenBucket b = buckets.get(type);
        if (b != null) {
            b.giveBack();
        }
    }

    /**
     * A dispatch pass ended at {@code nowMs}: a type is held back by its rate when its bucket is
     * empty and tasks of it still wait ({@code pendingByType}).
     */
    void passEnded(Map<String, Long> pendingByType, long nowMs) {
        held.clear();
        buckets.forEach(
                (type, b) -> {
                    if (b.available(nowMs) == 0 && pendingByType.getOrDefault(type, 0L) > 0) {
                        held.add(type);
                    }
                });
    }

    /** When the earliest held-back type earns its next token, or -1: then a pass is due. */
    long nextWakeMs(long nowMs) {
        long next = -1;
        for (String type : held) {
            long at = buckets.get(type).nextTokenAtMs(nowMs);
            if (next < 0 || at < next) {
                next = at;
            }
        }
        return next;
    }

    /** The types held back at the last pass, sorted, at most as many as the counts list. */
    List<String> held() {
        return held.stream().limit(LiveCounts.MAX_TYPES_LISTED).toList();
    }
}
