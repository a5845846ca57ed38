package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.AssignmentStrategy;
import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskStatus;
import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A deep backlog is held as keys behind each shape's head of {@link ShapeQueue#HOT} whole entries,
 * and read again as the head drains: transition by transition, with dispatch order and the live
 * counts unchanged.
 */
class ColdBacklogTest {
    private static final int HOT = ShapeQueue.HOT;
    private final PendingIndex index = new PendingIndex();

    /** Submitted at {@code atMs}: keys sort by that time within a priority. */
    private static PendingEntry entry(String id, String type, long atMs, String target) {
        TaskSpec spec =
                TaskSpec.builder(type)
                        .id(id)
                        .targetWorker(target)
                        .build()
                        .withSubmittedAtMs(atMs)
                        .withSubmittedBy("ci");
        return PendingEntry.of(spec, TaskStatus.pending(spec, 10), 0);
    }

    private static PendingEntry entry(int n) {
        return entry(String.format("t%06d", n), "resize", 1_000 + n, null);
    }

    private List<String> hotIds(String type) {
        List<String> out = new ArrayList<>();
        index.entries(new PendingIndex.Shape(type, Map.of(), null))
                .forEachRemaining(e -> out.add(e.taskId()));
        return out;
    }

    private List<String> warm() {
        List<String> out = new ArrayList<>();
        index.toWarm().forEach(s -> out.add(s.taskId()));
        return out;
    }

    @Test
    void tasksBehindTheHead_areHeldAsKeys_yetCountedAndKnown() {
        for (int n = 0; n < HOT + 10; n++) {
            index.add(entry(n), 0);
        }

        assertThat(index.coldCount()).isEqualTo(10);
        assertThat(hotIds("resize")).hasSize(HOT).startsWith("t000000").endsWith("t000999");
        assertThat(index.get("t001005")).isNull();
        assertThat(index.contains("t001005")).isTrue();
        assertThat(index.countByType()).isEqualTo(Map.of("resize", (long) HOT + 10));
        assertThat(index.countByPrincipal()).isEqualTo(Map.of("ci", (long) HOT + 10));
        assertThat(index.specBytes()).isEqualTo(10L * (HOT + 10));
        assertThat(warm()).as("the head is full: nothing to read again").isEmpty();
    }

    @Test
    void anOlderTaskArrivingLate_joinsTheHead_andTheHeadsLastGoesCold() {
        for (int n = 1; n <= HOT; n++) {
            index.add(entry(n), 0);
        }
        index.add(entry(0), 0); // read after the others, as a listing from both ends does

        assertThat(hotIds("resize")).startsWith("t000000").endsWith("t000999");
        assertThat(index.get("t001000")).isNull();
        assertThat(index.coldCount()).isEqualTo(1);

        index.add(entry(HOT + 1), 0); // sorts behind a cold one: cold too
        assertThat(index.get("t001001")).isNull();
        assertThat(index.coldCount()).isEqualTo(2);
    }

    @Test
    void headDrainedBelowHalf_firstColdOnesReadOnce_thenDispatchedInOrder() {
        for (int n = 0; n < 2 * HOT; n++) {
            index.add(entry(n), 0);
        }
        for (int n = 0; n <= HOT / 2; n++) {
            index.remove(String.format("t%06d", n), entry(n).key()); // assigned
        }

        List<String> toRead = warm();

        assertThat(toRead).hasSize(HOT / 2 + 1).startsWith("t001000");
        assertThat(warm()).as("each is read once").isEmpty();
        assertThat(index.coldCount()).isEqualTo(HOT);

        for (int n = HOT; n < HOT + toRead.size(); n++) {
            index.add(entry(n), 0); // the reads come back
        }
        assertThat(hotIds("resize")).hasSize(HOT).startsWith("t000501").endsWith("t001500");
        assertThat(index.coldCount()).isEqualTo(HOT - toRead.size());
        assertThat(index.size()).isEqualTo(2 * HOT - (HOT / 2 + 1));
    }

    @Test
    void aColdTaskGoneWhileBeingRead_leavesNoTrace() {
        for (int n = 0; n < HOT + 1; n++) {
            index.add(entry(n), 0);
        }
        for (int n = 0; n < HOT; n++) {
            index.remove(String.format("t%06d", n), entry(n).key());
        }
        assertThat(warm()).containsExactly("t001000");

        assertThat(index.remove("t001000", entry(HOT).key())).isTrue(); // cancelled meanwhile

        assertThat(index.size()).isZero();
        assertThat(index.shapes()).isEmpty();
        assertThat(index.countByType()).isEmpty();
    }

    @Test
    void aColdTaskToBeCancelled_isKeptWholeOnceReadAgain() {
        for (int n = 0; n < HOT + 5; n++) {
            index.add(entry(n), 0);
        }

        String key = index.keepWhole("t001003");

        assertThat(key).isEqualTo(entry(HOT + 3).key());
        assertThat(index.keepWhole("t000001")).as("whole already").isNull();
        index.add(entry(HOT + 3), 0); // the read comes back
        assertThat(index.get("t001003")).isNotNull();
        assertThat(hotIds("resize")).doesNotContain("t001003"); // still behind the head
    }

    @Test
    void slotsSortAsTheirKeysDo_priorityThenTimeThenSequenceThenId() {
        java.util.Random random = new java.util.Random(15);
        List<PendingSlot> slots = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            TaskSpec spec =
                    TaskSpec.builder("t")
                            .id("id-" + random.nextInt(50))
                            .priority(random.nextInt(5) - 2)
                            .build()
                            .withSubmitStamp(
                                    1_000 + random.nextInt(3), random.nextInt(3)); // 0: none
            slots.add(new PendingSlot(PendingEntry.of(spec, TaskStatus.pending(spec), 0), null));
        }

        List<String> byOrder =
                slots.stream().sorted(PendingSlot.ORDER).map(PendingSlot::key).toList();

        assertThat(byOrder).isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(slots.get(7).key()).isEqualTo(slots.get(7).entry.key());
    }

    @Test
    void tasksForOneWorker_areNeverCold() {
        for (int n = 0; n < HOT + 5; n++) {
            index.add(entry("r" + n, "reply", n, "w1"), 0);
        }

        assertThat(index.coldCount()).isZero();
        assertThat(index.targeting("w1")).hasSize(HOT + 5);
    }

    @Test
    void aShapeWithOnlyColdTasksBeingRead_isSkippedByTheDispatcher() {
        ClusterView view = new ClusterView();
        view.putWorker(
                new WorkerInfo(
                        1,
                        "w",
                        2,
                        List.of("resize"),
                        Map.of(),
                        WorkerState.ACTIVE,
                        "test",
                        "host",
                        0,
                        false));
        for (int n = 0; n < HOT + 2; n++) {
            index.add(entry(n), 0);
        }
        for (int n = 0; n < HOT; n++) {
            index.remove(String.format("t%06d", n), entry(n).key());
        }
        assertThat(warm()).hasSize(2);

        assertThat(new Dispatcher(AssignmentStrategy.FILL_CAPACITY).pass(index, view)).isEmpty();

        index.add(entry(HOT), 0);
        assertThat(new Dispatcher(AssignmentStrategy.FILL_CAPACITY).pass(index, view))
                .extracting(c -> c.entry().taskId())
                .containsExactly("t001000");
    }
}
