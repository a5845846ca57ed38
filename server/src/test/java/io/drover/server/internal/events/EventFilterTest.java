package io.drover.server.internal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.InvalidTaskException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFilterTest {
    private static FeedEvent task(String id, String type, Map<String, String> labels) {
        return new FeedEvent(1, "task", id, type, labels, "{}", 0);
    }

    private static final FeedEvent WORKER =
            new FeedEvent(1, "worker", null, null, Map.of("zone", "eu"), "{}", 0);
    private static final FeedEvent LEADER = new FeedEvent(1, "leader", null, null, null, "{}", 0);
    private static final FeedEvent GAP = new FeedEvent(1, "gap", null, null, null, "{}", 0);

    @Test
    void noFilter_passesEverything() {
        EventFilter all = EventFilter.parse(null, null, null, null, null);
        assertThat(all.matches(task("t", "noop", Map.of()))).isTrue();
        assertThat(all.matches(WORKER)).isTrue();
        assertThat(all.matches(LEADER)).isTrue();
    }

    @Test
    void followingTasks_dropsClusterEventsUnlessAskedFor_butNeverGaps() {
        EventFilter f = EventFilter.parse(null, null, null, "run1-", null);
        assertThat(f.matches(task("run1-7", "noop", Map.of()))).isTrue();
        assertThat(f.matches(task("run2-7", "noop", Map.of()))).isFalse();
        assertThat(f.matches(LEADER)).isFalse();
        assertThat(f.matches(GAP)).isTrue();
        assertThat(EventFilter.parse("task,leader", null, null, "run1-", null).matches(LEADER))
                .isTrue();
    }

    @Test
    void typesIdsAndLabels_mustAllMatch() {
        EventFilter f = EventFilter.parse("task,worker", "resize", "a,b", null, "zone=eu");
        assertThat(f.matches(task("a", "resize", Map.of("zone", "eu", "gpu", "1")))).isTrue();
        assertThat(f.matches(task("a", "resize", Map.of("zone", "us")))).isFalse();
        assertThat(f.matches(task("c", "resize", Map.of("zone", "eu")))).isFalse();
        assertThat(f.matches(task("a", "noop", Map.of("zone", "eu")))).isFalse();
        assertThat(f.matches(WORKER)).isTrue();
    }

    @Test
    void badValues_nameTheParameter() {
        assertThatThrownBy(() -> EventFilter.parse("task,gossip", null, null, null, null))
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageContaining("kinds")
                .hasMessageContaining("gossip");
        assertThatThrownBy(() -> EventFilter.parse(null, null, null, null, "zone"))
                .hasMessageContaining("labels");
        assertThatThrownBy(() -> EventFilter.parse(null, null, null, "a b", null))
                .hasMessageContaining("idPrefix");
        String many = String.join(",", java.util.Collections.nCopies(101, "x")).replace("x", "t");
        assertThat(EventFilter.parse(null, null, many, null, null).ids())
                .hasSize(1); // deduplicated
    }
}
