package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.LiveCounts;
import io.drover.model.TaskState;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tally against a listing of the retention index taken off the leader's thread. Every id listed
 * here is known already, so no status is read (no store).
 */
class EndedTallyTest {
    private final EndedTally tally = new EndedTally(null, Runnable::run);

    @Test
    void aTaskThatLeftTheIndex_isForgotten() {
        tally.observed("a", TaskState.SUCCEEDED);
        tally.observed("gone", TaskState.FAILED);

        tally.listingBegins();
        tally.reconcile(Set.of("a"));

        assertThat(tally.counts()).isEqualTo(new LiveCounts.EndedCounts(1, 0, 0));
    }

    @Test
    void aTaskThatEndedWhileTheIndexWasListed_isKept_thoughTheListingMissedIt() {
        tally.observed("a", TaskState.SUCCEEDED);

        tally.listingBegins();
        tally.observed(
                "late", TaskState.CANCELLED); // its done/ entry came after its bucket's listing
        tally.reconcile(Set.of("a"));

        assertThat(tally.counts()).isEqualTo(new LiveCounts.EndedCounts(1, 0, 1));

        tally.listingBegins(); // the next listing does not name it either: it left the index
        tally.reconcile(Set.of("a"));

        assertThat(tally.counts()).isEqualTo(new LiveCounts.EndedCounts(1, 0, 0));
    }
}
