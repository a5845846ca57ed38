package io.drover.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.coordinator.CoordinatorConfig;
import io.drover.coordinator.internal.ItemPlanner.Kind;
import io.drover.coordinator.internal.ItemPlanner.Order;
import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.model.WorkerInfo;
import io.drover.model.WorkerState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The placement rules, one by one, on the leader's view alone. */
class ItemPlannerTest {
    private final ItemState state = new ItemState();
    private final Map<String, WorkerInfo> workers = new HashMap<>();
    private final LoadFailures failures = new LoadFailures(60_000);
    private final Map<String, String> moves = new HashMap<>();

    private void worker(String id, WorkerState s, Map<String, String> labels) {
        workers.put(id, new WorkerInfo(1, id, 1, List.of(), labels, s, "test", "host", 0, true));
    }

    private List<Order> plan(int maxLoadsPerWorker, int maxMoves) {
        return new ItemPlanner(
                        new CoordinatorConfig.ItemSettings(
                                maxLoadsPerWorker, maxMoves, Duration.ofMinutes(1)))
                .plan(state, workers, failures, moves, 1_000);
    }

    @Test
    void shortItem_isLoadedOnDistinctWorkersCarryingItsLabels_emptiestFirst() {
        worker("w1", WorkerState.ACTIVE, Map.of("tier", "hot"));
        worker("w2", WorkerState.ACTIVE, Map.of("tier", "hot"));
        worker("w3", WorkerState.ACTIVE, Map.of());
        worker("w4", WorkerState.ACTIVE, Map.of("tier", "hot"));
        state.putItem(ItemSpec.of("other", 1));
        state.served("w1", "other", true);
        state.putItem(ItemSpec.of("hot", 2).withLabels(Map.of("tier", "hot")));

        assertThat(plan(20, 0))
                .containsExactlyInAnyOrder(
                        new Order(Kind.LOAD, "hot", "w2"), new Order(Kind.LOAD, "hot", "w4"));
    }

    @Test
    void extraReplicaOnADrainingWorker_isDroppedOnlyOnceTheNewOneIsServed() {
        worker("w1", WorkerState.DRAINING, Map.of());
        worker("w2", WorkerState.ACTIVE, Map.of());
        state.putItem(ItemSpec.of("seg", 1));
        state.served("w1", "seg", true);
        state.command("w2", "seg", new ItemState.Command(LoadCommand.Action.LOAD, false));

        assertThat(plan(20, 16)).as("the load is in flight: nothing is dropped yet").isEmpty();

        state.commandGone("w2", "seg");
        state.served("w2", "seg", true);
        assertThat(plan(20, 16)).containsExactly(new Order(Kind.DROP, "seg", "w1"));
    }

    @Test
    void loadThrottle_limitsLoadsInFlightPerWorker() {
        worker("w1", WorkerState.ACTIVE, Map.of());
        for (int i = 0; i < 10; i++) {
            state.putItem(ItemSpec.of("seg-" + i, 1));
        }
        state.command("w1", "seg-0", new ItemState.Command(LoadCommand.Action.LOAD, false));

        assertThat(plan(3, 0))
                .hasSize(2)
                .allSatisfy(o -> assertThat(o.kind()).isEqualTo(Kind.LOAD));
    }

    @Test
    void balancing_movesFromTheFullestToTheEmptiest_atMostMaxMovesAtOnce_andNotWhileReplicating() {
        worker("w1", WorkerState.ACTIVE, Map.of());
        worker("w2", WorkerState.ACTIVE, Map.of());
        for (int i = 0; i < 6; i++) {
            state.putItem(ItemSpec.of("seg-" + i, 1));
            state.served("w1", "seg-" + i, true);
        }

        List<Order> orders = plan(20, 2);

        assertThat(orders)
                .hasSize(2)
                .allSatisfy(
                        o ->
                                assertThat(o)
                                        .extracting(Order::kind, Order::workerId)
                                        .containsExactly(Kind.LOAD, "w2"));
        assertThat(moves).hasSize(2).containsValue("w1");

        state.putItem(ItemSpec.of("new", 1));
        moves.clear();
        assertThat(plan(20, 2))
                .as("re-replication first")
                .containsExactly(new Order(Kind.LOAD, "new", "w2"));
    }

    @Test
    void movedItem_losesItsSourceReplica_onceTheTargetServesIt() {
        worker("w1", WorkerState.ACTIVE, Map.of());
        worker("w2", WorkerState.ACTIVE, Map.of());
        state.putItem(ItemSpec.of("seg", 1));
        state.served("w1", "seg", true);
        state.served("w2", "seg", true);
        moves.put("seg", "w2");

        assertThat(plan(20, 0)).containsExactly(new Order(Kind.DROP, "seg", "w2"));
    }

    @Test
    void workerThatGaveUpAnItem_isPassedOver_forAnother() {
        worker("w1", WorkerState.ACTIVE, Map.of());
        worker("w2", WorkerState.ACTIVE, Map.of());
        state.putItem(ItemSpec.of("w2-has-more", 1));
        state.served("w2", "w2-has-more", true);
        state.putItem(ItemSpec.of("picky", 1));
        failures.failed("picky", "w1", 500);

        assertThat(plan(20, 0)).containsExactly(new Order(Kind.LOAD, "picky", "w2"));
    }

    @Test
    void undeclaredItem_isDroppedAndItsLoadsRevoked_butAnUnreadableOneIsLeftAlone() {
        worker("w1", WorkerState.ACTIVE, Map.of());
        worker("w2", WorkerState.ACTIVE, Map.of());
        state.served("w1", "gone", true);
        state.command("w2", "gone", new ItemState.Command(LoadCommand.Action.LOAD, false));
        state.unreadable("mangled");
        state.served("w1", "mangled", true);

        assertThat(plan(20, 0))
                .containsExactlyInAnyOrder(
                        new Order(Kind.DROP, "gone", "w1"), new Order(Kind.REVOKE, "gone", "w2"));
    }

    @Test
    void moreReplicasThanWorkers_servesWhatItCan_andDoesNotBlockBalancing() {
        worker("w1", WorkerState.ACTIVE, Map.of());
        worker("w2", WorkerState.ACTIVE, Map.of());
        state.putItem(ItemSpec.of("wide", 3));
        state.served("w1", "wide", true);
        state.served("w2", "wide", true);
        for (int i = 0; i < 4; i++) {
            state.putItem(ItemSpec.of("seg-" + i, 1));
            state.served("w1", "seg-" + i, true);
        }

        assertThat(plan(20, 16))
                .containsExactlyInAnyOrder(
                        new Order(Kind.LOAD, "seg-0", "w2"), new Order(Kind.LOAD, "seg-1", "w2"));
    }

    @Test
    void replicaOfAnEarlierDeclaration_isReplaced_newOneLoadedFirst() {
        worker("w1", WorkerState.ACTIVE, Map.of());
        worker("w2", WorkerState.ACTIVE, Map.of());
        state.putItem(ItemSpec.of("seg", 1).withTimes(2_000, 2_000)); // deleted and declared again
        state.served("w1", "seg", 1_000L);

        assertThat(plan(20, 0)).containsExactly(new Order(Kind.LOAD, "seg", "w2"));

        state.served("w2", "seg", 2_000L);
        assertThat(plan(20, 0)).containsExactly(new Order(Kind.DROP, "seg", "w1"));
    }

    @Test
    void endedCoolDowns_areForgotten_soTheyScheduleNoWakeUp() {
        failures.failed("seg", "w1", 0);
        assertThat(failures.nextExpiryMs(1_000)).isEqualTo(60_000);

        assertThat(failures.nextExpiryMs(60_000))
                .as("ended, and nothing re-checked that pair")
                .isEqualTo(Long.MAX_VALUE);
        assertThat(failures.excluded("seg", "w1", 60_000)).isFalse();
    }
}
