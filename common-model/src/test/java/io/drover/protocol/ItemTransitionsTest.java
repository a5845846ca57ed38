package io.drover.protocol;

import static io.drover.protocol.TaskTransitionsTest.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.DroverPaths;
import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.model.ServedItem;
import io.drover.testkit.ZooKeeperServerExtension;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ops each item transition emits: the load/drop protocol's golden copy. */
class ItemTransitionsTest {
    @RegisterExtension static final ZooKeeperServerExtension ZK = new ZooKeeperServerExtension();

    private final CuratorFramework client = ZK.newClient(); // builds ops only; nothing is sent
    private final ItemTransitions t = new ItemTransitions(client, new DroverPaths("c"));
    private final ItemSpec item = ItemSpec.of("seg-1", 2);
    private final ServedItem served = new ServedItem(1, "w1", "seg-1", 5, 7, 1);

    @Test
    void leaderIssuesAndRevokes() throws Exception {
        assertThat(describe(t.issue("w1", LoadCommand.of(LoadCommand.Action.LOAD, item, 7, 5))))
                .containsExactly("create /drover/c/loadqueue/w1/seg-1");
        assertThat(describe(t.revoke("w1", "seg-1")))
                .containsExactly("delete /drover/c/loadqueue/w1/seg-1");
    }

    @Test
    void workerConsumesTheCommandAtItsVersion_withTheServedChangeInTheSameMulti() throws Exception {
        assertThat(describe(t.loaded("w1", "seg-1", 3, served)))
                .containsExactly(
                        "delete /drover/c/loadqueue/w1/seg-1 @3",
                        "create /drover/c/served/w1/seg-1 ephemeral");
        assertThat(describe(t.loaded("w1", "seg-1", 3, null)))
                .containsExactly("delete /drover/c/loadqueue/w1/seg-1 @3");
        assertThat(describe(t.dropped("w1", "seg-1", 4, true)))
                .containsExactly(
                        "delete /drover/c/loadqueue/w1/seg-1 @4",
                        "delete /drover/c/served/w1/seg-1");
        assertThat(describe(t.dropped("w1", "seg-1", 4, false)))
                .containsExactly("delete /drover/c/loadqueue/w1/seg-1 @4");
        assertThat(ItemTransitions.COMMAND_OP).isZero();
        assertThat(ItemTransitions.SERVED_OP).isOne();
    }

    @Test
    void workerReportsAFailure_andTakesOverAnEarlierSessionsServedNode() throws Exception {
        LoadCommand failed =
                LoadCommand.of(LoadCommand.Action.LOAD, item, 7, 5).failed("disk full", 3);
        assertThat(describe(t.failed("w1", 2, failed)))
                .containsExactly("setData /drover/c/loadqueue/w1/seg-1 @2");
        assertThat(describe(t.takeOver("w1", "seg-1", 0, served)))
                .containsExactly(
                        "delete /drover/c/served/w1/seg-1 @0",
                        "create /drover/c/served/w1/seg-1 ephemeral");
    }
}
