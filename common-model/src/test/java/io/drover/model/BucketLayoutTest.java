package io.drover.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketLayoutTest {
    /** Computed by the layout-1 code before layout 2 existed: a cluster's tasks stay findable. */
    private static final Map<String, String> LAYOUT_1_BUCKETS =
            Map.of(
                    "t1", "37",
                    "misplaced", "14",
                    "task-0", "01",
                    "0f8fad5b-d9cb-469f-a165-70867728950e", "1d");

    @Test
    void aNewClustersPaths_spreadIdsEvenlyOver256Buckets() {
        DroverPaths paths = new DroverPaths("c");
        int[] counts = new int[256];
        for (int i = 0; i < 256_000; i++) {
            counts[Integer.parseInt(paths.bucket("task-" + i), 16)]++;
        }
        assertThat(paths.layoutVersion()).isEqualTo(DroverPaths.LAYOUT_VERSION).isEqualTo(2);
        assertThat(paths.buckets(paths.tasks())).hasSize(256).endsWith("/drover/c/tasks/ff");
        assertThat(Arrays.stream(counts).boxed().toList())
                .allSatisfy(c -> assertThat(c).isBetween(850, 1150));
    }

    @Test
    void aLayout1Cluster_keepsItsBuckets_eachSplitIntoFourInLayout2() {
        DroverPaths old = new DroverPaths("c");
        old.adoptLayout(1);
        assertThat(old.buckets(old.statuses())).hasSize(64).endsWith("/drover/c/status/3f");
        LAYOUT_1_BUCKETS.forEach(
                (id, bucket) -> {
                    assertThat(old.status(id)).isEqualTo("/drover/c/status/" + bucket + "/" + id);
                    int b2 = Integer.parseInt(DroverPaths.bucketOf(id), 16);
                    assertThat(b2 & 63).isEqualTo(Integer.parseInt(bucket, 16));
                    assertThat(Buckets.inSomeLayout(id, bucket)).isTrue();
                });
        assertThat(Buckets.inSomeLayout("t1", "00")).isFalse();
    }

    @Test
    void adoptingALayout_happensOnce_andNotAfterPathsWereBuiltInAnother() {
        DroverPaths paths = new DroverPaths("c");
        assertThatThrownBy(() -> paths.adoptLayout(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown layout version 3");
        paths.adoptLayout(2);
        paths.adoptLayout(2); // a second process component reading the same marker
        assertThatThrownBy(() -> paths.adoptLayout(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already uses layout 2");

        DroverPaths early = new DroverPaths("c");
        early.task("t1"); // built before the marker was read: in layout 2
        assertThatThrownBy(() -> early.adoptLayout(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("built before its layout was read");
        assertThat(Buckets.countOf(1)).isEqualTo(64);
        assertThat(Buckets.countOf(7)).isZero();
    }
}
