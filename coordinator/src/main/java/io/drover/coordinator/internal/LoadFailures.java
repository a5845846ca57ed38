package io.drover.coordinator.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Remembers workers that gave up loading an item, so the leader tries others: a failed (item,
 * worker) pair gets no new LOAD for the cool-down, and a worker that fails three loads in a row (no
 * load succeeding in between) gets no LOAD at all for the cool-down, as Druid stops sending
 * segments to a failing Historical. In memory: a new leader starts afresh. Leader thread only.
 */
final class LoadFailures {
    static final int WORKER_STRIKES = 3;

    private final long coolDownMs;
    private final Map<String, Long> pairUntil = new HashMap<>();
    private final Map<String, Integer> strikes = new HashMap<>();
    private final Map<String, Long> workerUntil = new HashMap<>();

    LoadFailures(long coolDownMs) {
        this.coolDownMs = coolDownMs;
    }

    void failed(String itemId, String workerId, long nowMs) {
        pairUntil.put(itemId + "/" + workerId, nowMs + coolDownMs);
        if (strikes.merge(workerId, 1, Integer::sum) >= WORKER_STRIKES) {
            workerUntil.put(workerId, nowMs + coolDownMs);
            strikes.remove(workerId);
        }
    }

    void loaded(String workerId) {
        strikes.remove(workerId);
    }

    boolean excluded(String itemId, String workerId, long nowMs) {
        return active(workerUntil, workerId, nowMs)
                || active(pairUntil, itemId + "/" + workerId, nowMs);
    }

    boolean workerExcluded(String workerId, long nowMs) {
        return active(workerUntil, workerId, nowMs);
    }

    /**
     * The earliest time a running exclusion ends, to plan again then; Long.MAX_VALUE if none.
     * Forgets ended ones.
     */
    long nextExpiryMs(long nowMs) {
        pairUntil.values().removeIf(t -> t <= nowMs);
        workerUntil.values().removeIf(t -> t <= nowMs);
        long next = Long.MAX_VALUE;
        for (long t : pairUntil.values()) {
            next = Math.min(next, t);
        }
        for (long t : workerUntil.values()) {
            next = Math.min(next, t);
        }
        return next;
    }

    private static boolean active(Map<String, Long> until, String key, long nowMs) {
        Long t = until.get(key);
        if (t == null) {
            return false;
        }
        if (nowMs >= t) {
            until.remove(key);
            return false;
        }
        return true;
    }
}
