package io.drover.coordinator.internal;

import io.drover.coordinator.CoordinatorListener;
import io.drover.model.TaskStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's listeners, told what the leader does; a listener that throws is logged and
 * never stops the leader's work. Listeners may be added from any thread.
 */
final class LeaderEvents {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderEvents.class);

    private final List<CoordinatorListener> listeners = new CopyOnWriteArrayList<>();

    void add(CoordinatorListener listener) {
        listeners.add(listener);
    }

    void leadershipStarted(long epoch) {
        tell(l -> l.leadershipStarted(epoch), "leadership started");
    }

    void taskEnded(TaskStatus end) {
        tell(l -> l.taskEnded(end), "task " + end.taskId() + " ended");
    }

    private void tell(Consumer<CoordinatorListener> call, String what) {
        for (CoordinatorListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("coordinator listener failed on {}", what, e);
            }
        }
    }
}
