package io.drover.coordinator.internal;

import io.drover.model.TaskStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * The WAITING tasks the leader holds, counted per type and per principal with the bytes of their
 * specs, so that they count as live for the admission caps ({@link LiveCountPublisher}) at no
 * ZooKeeper read. Not thread-safe: the leader's thread only.
 */
final class WaitingTally {
    private final Map<String, Long> byType = new HashMap<>();
    private final Map<String, Long> byPrincipal = new HashMap<>();
    private long specBytes;

    void add(TaskStatus s) {
        count(s, 1);
    }

    void remove(TaskStatus s) {
        count(s, -1);
    }

    private void count(TaskStatus s, long delta) {
        byType.merge(s.type(), delta, (a, b) -> a + b == 0 ? null : a + b);
        if (s.submittedBy() != null) {
            byPrincipal.merge(s.submittedBy(), delta, (a, b) -> a + b == 0 ? null : a + b);
        }
        specBytes += delta * s.specBytes();
    }

    Map<String, Long> byType() {
        return byType;
    }

    Map<String, Long> byPrincipal() {
        return byPrincipal;
    }

    long specBytes() {
        return specBytes;
    }
}
