package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.AssignmentStrategy;
import io.drover.model.PendingEntry;
import io.drover.model.TaskSpec;
import io.drover.model.TaskSpecBuilder;
import io.drover.model.TaskStatus;
import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DispatcherTest {
    private final PendingIndex index = new PendingIndex();
    private final ClusterView view = new ClusterView();

    private static WorkerInfo worker(
            String id,
            int capacity,
            List<String> types,
            Map<String, String> labels,
            WorkerState state) {
        return new WorkerInfo(1, id, capacity, types, labels, state, "test", "host", 0, false);
    }

    private void pending(
            String id, String type, int priority, long submittedAtMs, Map<String, String> labels) {
        TaskSpecBuilder b = TaskSpec.builder(type).id(id).priority(priority);
        labels.forEach(b::requireLabel);
        TaskSpec spec = b.build().withSubmittedAtMs(submittedAtMs);
        index.add(PendingEntry.of(spec, TaskStatus.pending(spec), 0), 1_000);
    }

    private List<Dispatcher.Choice> pass(AssignmentStrategy strategy) {
        return new Dispatcher(strategy).pass(index, view);
    }

    @Test
    void higherPriorityFirst_thenOldestFirst_acrossTypes() {
        view.putWorker(worker("w", 3, List.of("a", "b"), Map.of(), WorkerState.ACTIVE));
        pending("old-low", "a", 0, 100, Map.of());
        pending("new-high", "b", 5, 300, Map.of());
        pending("mid-low", "b", 0, 200, Map.of());
        pending("newest-low", "a", 0, 400, Map.of());

        List<Dispatcher.Choice> choices = pass(AssignmentStrategy.EQUAL_DISTRIBUTION);

        assertThat(choices)
                .extracting(c -> c.entry().taskId())
                .containsExactly("new-high", "old-low", "mid-low");
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void equalDistribution_spreads_fillCapacity_packs() {
        view.putWorker(worker("w1", 4, List.of("a"), Map.of(), WorkerState.ACTIVE));
        view.putWorker(worker("w2", 4, List.of("a"), Map.of(), WorkerState.ACTIVE));
        for (int i = 0; i < 4; i++) {
            pending("t" + i, "a", 0, i, Map.of());
        }
        Map<String, Long> spread =
                pass(AssignmentStrategy.EQUAL_DISTRIBUTION).stream()
                        .collect(
                                Collectors.groupingBy(
                                        Dispatcher.Choice::workerId, Collectors.counting()));
        assertThat(spread).containsEntry("w1", 2L).containsEntry("w2", 2L);

        for (int i = 4; i < 8; i++) {
            pending("t" + i, "a", 0, i, Map.of());
        }
        ClusterView fresh = new ClusterView();
        fresh.putWorker(worker("w1", 4, List.of("a"), Map.of(), WorkerState.ACTIVE));
        fresh.putWorker(worker("w2", 4, List.of("a"), Map.of(), WorkerState.ACTIVE));
        Map<String, Long> packed =
                new Dispatcher(AssignmentStrategy.FILL_CAPACITY)
                        .pass(index, fresh).stream()
                                .collect(
                                        Collectors.groupingBy(
                                                Dispatcher.Choice::workerId,
                                                Collectors.counting()));
        assertThat(packed).containsOnlyKeys("w1").containsEntry("w1", 4L);
    }

    /**
     * Two shapes share workers: what one shape takes from a worker counts when the other picks, so
     * the pass still gives each task to the worker with the most free slots now.
     */
    @Test
    void twoShapesShareWorkers_eachPickSeesTheSlotsTheOtherTook() {
        view.putWorker(worker("w1", 3, List.of("a", "b"), Map.of(), WorkerState.ACTIVE));
        view.putWorker(worker("w2", 5, List.of("a", "b"), Map.of(), WorkerState.ACTIVE));
        view.putWorker(worker("w3", 2, List.of("b"), Map.of(), WorkerState.ACTIVE));
        for (int i = 0; i < 5; i++) {
            pending("a" + i, "a", 0, 2 * i, Map.of());
            pending("b" + i, "b", 0, 2 * i + 1, Map.of());
        }

        List<String> order =
                pass(AssignmentStrategy.EQUAL_DISTRIBUTION).stream()
                        .map(c -> c.entry().taskId() + "@" + c.workerId())
                        .toList();

        // free (w1, w2, w3) before each pick: (3,5,2) (3,4,2) (3,3,2) (2,3,2) (2,2,2) (1,2,2)
        // (1,1,2) (0,1,2) (0,1,1) (0,0,1); ties go to the lowest id; w3 takes only b
        assertThat(order)
                .containsExactly(
                        "a0@w2", "b0@w2", "a1@w1", "b1@w2", "a2@w1", "b2@w2", "a3@w1", "b3@w3",
                        "a4@w2", "b4@w3");
    }

    /** A thousand idle workers and nothing due: the pass returns at once. */
    @Test
    void manyWorkers_tasksSpreadOnePerWorker_andNothingDue_nothingChosen() {
        for (int i = 0; i < 1_000; i++) {
            view.putWorker(
                    worker(
                            String.format("w%04d", i),
                            4,
                            List.of("a"),
                            Map.of(),
                            WorkerState.ACTIVE));
        }
        assertThat(pass(AssignmentStrategy.EQUAL_DISTRIBUTION)).isEmpty();
        for (int i = 0; i < 1_000; i++) {
            pending("t" + i, "a", 0, i, Map.of());
        }

        List<Dispatcher.Choice> choices = pass(AssignmentStrategy.EQUAL_DISTRIBUTION);

        assertThat(choices).hasSize(1_000);
        assertThat(choices.stream().map(Dispatcher.Choice::workerId).distinct()).hasSize(1_000);
        assertThat(choices.get(0).workerId()).isEqualTo("w0000");
    }

    @Test
    void aThousandIdleWorkersOfOtherTypes_areNotLookedAt_byAPassWithABacklogNobodyServes() {
        for (int i = 0; i < 1_000; i++) {
            view.putWorker(worker("idle" + i, 4, List.of("other"), Map.of(), WorkerState.ACTIVE));
        }
        view.putWorker(worker("a1", 2, List.of("a"), Map.of(), WorkerState.ACTIVE));
        view.putWorker(worker("a2", 2, List.of("a", "other"), Map.of(), WorkerState.ACTIVE));
        for (int i = 0; i < 100; i++) {
            pending("parked" + i, "nobody-serves", 0, i, Map.of());
        }
        pending("t1", "a", 0, 1_000, Map.of());
        Dispatcher dispatcher = new Dispatcher(AssignmentStrategy.EQUAL_DISTRIBUTION);

        assertThat(dispatcher.pass(index, view))
                .extracting(Dispatcher.Choice::workerId)
                .containsExactly("a1");
        assertThat(dispatcher.workersExamined()).as("a1 and a2 only").isEqualTo(2);

        // a new announcement of the same worker, without type a (as WorkerRoster applies it)
        view.putWorker(worker("a2", 2, List.of("other"), Map.of(), WorkerState.ACTIVE));
        pending("t2", "a", 0, 1_001, Map.of());
        assertThat(dispatcher.pass(index, view))
                .extracting(Dispatcher.Choice::workerId)
                .containsExactly("a1");
        assertThat(dispatcher.workersExamined())
                .as("a2 no longer announces a: the index follows announcements")
                .isEqualTo(1);
    }

    @Test
    void onlyWorkersWithTheTypeAndLabels_andNeverADrainingOrFullOne() {
        view.putWorker(
                worker("cpu", 5, List.of("render"), Map.of("gpu", "false"), WorkerState.ACTIVE));
        view.putWorker(
                worker("gpu", 5, List.of("render"), Map.of("gpu", "true"), WorkerState.ACTIVE));
        view.putWorker(
                worker(
                        "draining",
                        5,
                        List.of("render"),
                        Map.of("gpu", "true"),
                        WorkerState.DRAINING));
        view.putWorker(
                worker("full", 1, List.of("render"), Map.of("gpu", "true"), WorkerState.ACTIVE));
        view.addAssignment("full", "already-there");
        pending("needs-gpu", "render", 0, 1, Map.of("gpu", "true"));
        pending("unknown-type", "transcode", 9, 0, Map.of());

        List<Dispatcher.Choice> choices = pass(AssignmentStrategy.EQUAL_DISTRIBUTION);

        assertThat(choices)
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.entry().taskId()).isEqualTo("needs-gpu");
                            assertThat(c.workerId()).isEqualTo("gpu");
                        });
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void typeAllowance_capsATypePerPass_otherTypesGoOn() {
        view.putWorker(worker("w", 10, List.of("limited", "free"), Map.of(), WorkerState.ACTIVE));
        for (int i = 0; i < 5; i++) {
            pending("l" + i, "limited", 0, i, Map.of());
            pending("f" + i, "free", 0, i, Map.of());
        }

        List<Dispatcher.Choice> choices =
                new Dispatcher(AssignmentStrategy.EQUAL_DISTRIBUTION)
                        .pass(index, view, type -> type.equals("limited") ? 2 : Integer.MAX_VALUE);

        assertThat(choices)
                .extracting(c -> c.entry().type())
                .filteredOn("limited"::equals)
                .hasSize(2);
        assertThat(choices).extracting(c -> c.entry().type()).filteredOn("free"::equals).hasSize(5);
    }

    @Test
    void fallback_sendsATypesTasksToWorkersOfItsFallback_namingIt() {
        view.putWorker(worker("own", 5, List.of("resize"), Map.of(), WorkerState.ACTIVE));
        view.putWorker(worker("lite", 5, List.of("resize-lite"), Map.of(), WorkerState.ACTIVE));
        pending("r1", "resize", 0, 1, Map.of());
        pending("r2", "resize", 0, 2, Map.of());
        Dispatcher.Gate fallingBack =
                new Dispatcher.Gate() {
                    @Override
                    public int allowance(String type) {
                        return Integer.MAX_VALUE;
                    }

                    @Override
                    public String runAs(String type) {
                        return type.equals("resize") ? "resize-lite" : type;
                    }
                };

        List<Dispatcher.Choice> choices =
                new Dispatcher(AssignmentStrategy.EQUAL_DISTRIBUTION)
                        .pass(index, view, fallingBack);

        assertThat(choices)
                .extracting(Dispatcher.Choice::workerId, Dispatcher.Choice::runAs)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("lite", "resize-lite"))
                .hasSize(2);
        pending("r3", "resize", 0, 3, Map.of());
        assertThat(pass(AssignmentStrategy.EQUAL_DISTRIBUTION))
                .as("its own type again: its own workers, no runAs")
                .extracting(Dispatcher.Choice::workerId, Dispatcher.Choice::runAs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("own", null));
    }

    @Test
    void notBeforeInTheFuture_waitsAside_untilPromoted() {
        view.putWorker(worker("w", 10, List.of("a"), Map.of(), WorkerState.ACTIVE));
        TaskSpec later =
                TaskSpec.builder("a").id("later").notBeforeMs(5_000).build().withSubmittedAtMs(1);
        index.add(PendingEntry.of(later, TaskStatus.pending(later), 0), 1_000);

        assertThat(pass(AssignmentStrategy.EQUAL_DISTRIBUTION)).isEmpty();
        assertThat(index.promote(4_999)).isEqualTo(5_000);
        assertThat(index.promote(5_000)).isEqualTo(-1);
        assertThat(pass(AssignmentStrategy.EQUAL_DISTRIBUTION))
                .extracting(c -> c.entry().taskId())
                .containsExactly("later");
    }

    @Test
    void reservedSlots_countAsUsed() {
        view.putWorker(worker("w", 2, List.of("a"), Map.of(), WorkerState.ACTIVE));
        view.reserve("w", "a");
        view.addAssignment("w", "x");
        pending("t", "a", 0, 1, Map.of());

        assertThat(pass(AssignmentStrategy.EQUAL_DISTRIBUTION)).isEmpty();

        view.release("w", "a");
        assertThat(pass(AssignmentStrategy.EQUAL_DISTRIBUTION)).hasSize(1);
    }

    @Test
    void aTaskForOneWorker_goesToItOrWaits_andABroadcastIsNeverDispatched() {
        view.putWorker(worker("roomy", 9, List.of("flush"), Map.of(), WorkerState.ACTIVE));
        view.putWorker(worker("busy", 1, List.of("flush"), Map.of(), WorkerState.ACTIVE));
        view.addAssignment("busy", "already-there");
        TaskSpec forBusy = TaskSpec.builder("flush").id("r-busy").targetWorker("busy").build();
        TaskSpec forRoomy = TaskSpec.builder("flush").id("r-roomy").targetWorker("roomy").build();
        TaskSpec forGone = TaskSpec.builder("flush").id("r-gone").targetWorker("gone").build();
        TaskSpec parent =
                TaskSpec.builder("flush")
                        .id("b")
                        .broadcast(new io.drover.model.Broadcast(null, 0))
                        .build();
        for (TaskSpec spec : List.of(forBusy, forRoomy, forGone, parent)) {
            index.add(PendingEntry.of(spec, TaskStatus.pending(spec), 0), 1_000);
        }

        assertThat(pass(AssignmentStrategy.EQUAL_DISTRIBUTION))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.entry().taskId()).isEqualTo("r-roomy");
                            assertThat(c.workerId()).isEqualTo("roomy");
                        });
        assertThat(index.broadcasts()).extracting(PendingEntry::taskId).containsExactly("b");
        assertThat(index.targets()).containsExactlyInAnyOrder("busy", "gone");
        assertThat(index.targeting("gone"))
                .extracting(PendingEntry::taskId)
                .containsExactly("r-gone");
        assertThat(index.remove("r-gone", index.get("r-gone").key())).isTrue();
        assertThat(index.targets()).containsExactly("busy");
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void aBroadcastResponse_neverFallsBack_itWaitsForItsOwnType() {
        view.putWorker(
                worker("w", 5, List.of("flush", "flush-lite"), Map.of(), WorkerState.ACTIVE));
        TaskSpec response = TaskSpec.builder("flush").id("r-w").targetWorker("w").build();
        index.add(PendingEntry.of(response, TaskStatus.pending(response), 0), 1_000);
        pending("plain", "flush", 0, 1, Map.of());
        Dispatcher.Gate fallingBack =
                new Dispatcher.Gate() {
                    @Override
                    public int allowance(String type) {
                        return Integer.MAX_VALUE;
                    }

                    @Override
                    public String runAs(String type) {
                        return type.equals("flush") ? "flush-lite" : type;
                    }
                };

        assertThat(
                        new Dispatcher(AssignmentStrategy.EQUAL_DISTRIBUTION)
                                .pass(index, view, fallingBack))
                .as("the plain task falls back; the response stays for its own handler")
                .extracting(c -> c.entry().taskId(), Dispatcher.Choice::runAs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("plain", "flush-lite"));
        assertThat(index.get("r-w")).isNotNull();
    }
}
