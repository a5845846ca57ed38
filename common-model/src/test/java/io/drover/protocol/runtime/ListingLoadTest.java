package io.drover.protocol.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order a listing is read in: by name, whichever bucket holds the node, from both ends. */
class ListingLoadTest {
    @Test
    void pendingKeysInDifferentBuckets_areReadInKeyOrder_thatIsInTheOrderOfDispatch() {
        List<String> paths =
                new ArrayList<>(
                        List.of(
                                "/drover/c/pending/3f/0000099-1700000000002-b",
                                "/drover/c/pending/00/0000099-1700000000001-a",
                                "/drover/c/pending/1a/0000000-1700000000009-urgent",
                                "/drover/c/pending/00/0000099-1700000000001-a2"));

        paths.sort(ListingLoad::byName);

        assertThat(paths)
                .containsExactly(
                        "/drover/c/pending/1a/0000000-1700000000009-urgent",
                        "/drover/c/pending/00/0000099-1700000000001-a",
                        "/drover/c/pending/00/0000099-1700000000001-a2",
                        "/drover/c/pending/3f/0000099-1700000000002-b");
    }

    @Test
    void aListing_isReadFromTheOldestAndTheNewestAlternately() {
        List<String> listed = List.of("/p/01/k3", "/p/00/k1", "/p/02/k5", "/p/01/k2", "/p/00/k4");

        assertThat(ListingLoad.readOrder(listed))
                .containsExactly("/p/00/k1", "/p/02/k5", "/p/01/k2", "/p/00/k4", "/p/01/k3");
        assertThat(ListingLoad.readOrder(List.of())).isEmpty();
    }
}
