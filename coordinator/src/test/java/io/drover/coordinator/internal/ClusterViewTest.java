package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterViewTest {
    private static WorkerInfo worker(String id) {
        return new WorkerInfo(
                1, id, 2, List.of("t"), Map.of(), WorkerState.ACTIVE, "v", "h", 0, false);
    }

    @Test
    void suspendedWorker_hasNoRoom_untilItsSuspensionEnds_whichIsTheNextWakeUp() {
        ClusterView view = new ClusterView();
        view.putWorker(worker("a"));
        view.putWorker(worker("b"));
        long now = System.currentTimeMillis();
        view.suspend("a", now + 60_000);
        view.suspend("b", now + 30_000);

        assertThat(view.free(worker("a"))).isZero();
        assertThat(view.nextSuspensionEndMs(now)).isEqualTo(now + 30_000);
        assertThat(view.nextSuspensionEndMs(now + 45_000))
                .as("an ended suspension needs no wake-up")
                .isEqualTo(now + 60_000);
        assertThat(view.nextSuspensionEndMs(now + 90_000)).isEqualTo(-1);
    }

    @Test
    void workerNodeThatIsNotAdmitted_isStillAlive() {
        ClusterView view = new ClusterView();
        view.workerNodePresent("rejected");

        assertThat(view.hasWorker("rejected")).isTrue();
        assertThat(view.workers()).isEmpty();
        assertThat(view.workerNodeGone("rejected")).isTrue();
        assertThat(view.hasWorker("rejected")).isFalse();
    }
}
