package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The index's counts for the live-task caps follow its entries, replacements and removals too. */
class PendingIndexTest {
    private final PendingIndex index = new PendingIndex();

    private static PendingEntry entry(String id, String type, String by, long bytes) {
        TaskSpec spec = TaskSpec.builder(type).id(id).build().withSubmittedBy(by);
        return PendingEntry.of(spec, TaskStatus.pending(spec, bytes), 0);
    }

    @Test
    void countsPerTypeAndPrincipalAndBytes_followAddsReplacementsAndRemovals() {
        index.add(entry("a", "resize", "ci", 100), 0);
        index.add(entry("b", "resize", null, 50), 0);
        index.add(entry("c", "mail", "ci", 10), 0);
        PendingEntry replaced = entry("a", "resize", "ops", 300);
        index.add(replaced, 0); // a retry rewrites the entry of the same task

        assertThat(index.countByType()).isEqualTo(Map.of("resize", 2L, "mail", 1L));
        assertThat(index.countByPrincipal()).isEqualTo(Map.of("ci", 1L, "ops", 1L));
        assertThat(index.specBytes()).isEqualTo(360);

        assertThat(index.remove("a", replaced.key())).isTrue();
        assertThat(index.remove("c", "not-its-key")).isFalse();

        assertThat(index.countByType()).isEqualTo(Map.of("resize", 1L, "mail", 1L));
        assertThat(index.countByPrincipal()).isEqualTo(Map.of("ci", 1L));
        assertThat(index.specBytes()).isEqualTo(60);
    }
}
