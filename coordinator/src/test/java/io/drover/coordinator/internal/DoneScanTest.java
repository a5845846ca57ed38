package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What one reading of the retention index dooms, transition by transition. */
class DoneScanTest {
    private static String name(long ms, String id) {
        return String.format("%013d-%s", ms, id);
    }

    private static Map<String, List<String>> index() {
        Map<String, List<String>> byBucket = new LinkedHashMap<>();
        byBucket.put("/d/00", List.of(name(300, "c"), name(100, "a"), "not-a-done-entry"));
        byBucket.put("/d/01", List.of(name(200, "b"), name(400, "d")));
        return byBucket;
    }

    @Test
    void overTheRetainedCount_theOldestAreDoomed_acrossBuckets_andEveryIdIsIndexed() {
        DoneScan scan = DoneScan.of(index(), 0, 2, true);

        assertThat(scan.doomed()).extracting(DoneScan.Entry::taskId).containsExactly("a", "b");
        assertThat(scan.doomed().get(1).path()).isEqualTo("/d/01/" + name(200, "b"));
        assertThat(scan.indexed()).containsExactlyInAnyOrder("a", "b", "c", "d");
    }

    @Test
    void olderThanTheCutoff_isDoomed_evenUnderTheCount() {
        DoneScan scan = DoneScan.of(index(), 301, 1_000, true);

        assertThat(scan.doomed()).extracting(DoneScan.Entry::taskId).containsExactly("a", "b", "c");
    }

    @Test
    void allDue_allDoomed_oldestFirst() {
        DoneScan scan = DoneScan.of(index(), Long.MAX_VALUE, 1_000, true);

        assertThat(scan.doomed())
                .extracting(DoneScan.Entry::taskId)
                .containsExactly("a", "b", "c", "d");
    }

    @Test
    void aTallyOnly_doomsNothing_butIndexesAll() {
        DoneScan scan = DoneScan.of(index(), Long.MAX_VALUE, 0, false);

        assertThat(scan.doomed()).isEmpty();
        assertThat(scan.indexed()).hasSize(4);
    }
}
