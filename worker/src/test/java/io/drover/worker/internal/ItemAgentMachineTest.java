package io.drover.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.ItemSpec;
import io.drover.model.LoadCommand;
import io.drover.worker.internal.ItemAgentMachine.CommandRemoved;
import io.drover.worker.internal.ItemAgentMachine.CommandSeen;
import io.drover.worker.internal.ItemAgentMachine.JobDone;
import io.drover.worker.internal.ItemAgentMachine.MarkRevoked;
import io.drover.worker.internal.ItemAgentMachine.NewSession;
import io.drover.worker.internal.ItemAgentMachine.Slot;
import io.drover.worker.internal.ItemAgentMachine.StartJob;
import io.drover.worker.internal.ItemAgentMachine.StartReannounce;
import io.drover.worker.internal.ItemAgentMachine.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The item agent's rules for one item, event by event. */
class ItemAgentMachineTest {
    private static final ItemSpec SEG = ItemSpec.of("seg-1", 1);
    private static final ItemJob.Cmd LOAD = cmd(LoadCommand.Action.LOAD, 0);
    private static final ItemJob.Cmd DROP = cmd(LoadCommand.Action.DROP, 0);

    private Slot slot = Slot.IDLE;

    private static ItemJob.Cmd cmd(LoadCommand.Action action, int version) {
        return new ItemJob.Cmd(
                "/drover/c/loadqueue/w1/seg-1", LoadCommand.of(action, SEG, 7, 1_000), version);
    }

    private List<ItemAgentMachine.Action> when(ItemAgentMachine.Event event) {
        Step step = ItemAgentMachine.on(slot, event);
        slot = step.next();
        return step.actions();
    }

    @Test
    void commandOnAnIdleItem_startsItsJob() {
        assertThat(when(new CommandSeen(LOAD))).containsExactly(new StartJob(LOAD));
        assertThat(slot.busy()).isTrue();
    }

    @Test
    void sameCommandReadAgain_isIgnored() {
        when(new CommandSeen(LOAD));
        assertThat(when(new CommandSeen(LOAD))).isEmpty();
        assertThat(slot.waiting()).isNull();
    }

    @Test
    void ourOwnFailureReport_startsNothing() {
        ItemJob.Cmd failed = new ItemJob.Cmd(LOAD.path(), LOAD.command().failed("boom", 3), 1);
        assertThat(when(new CommandSeen(failed))).isEmpty();
        assertThat(slot).isEqualTo(Slot.IDLE);
    }

    @Test
    void newerCommandWhileBusy_waitsForTheJob_thenRuns() {
        when(new CommandSeen(LOAD));
        assertThat(when(new CommandSeen(DROP))).isEmpty();
        assertThat(when(new JobDone(true, true))).containsExactly(new StartJob(DROP));
        assertThat(when(new JobDone(false, false))).isEmpty();
        assertThat(slot).isEqualTo(Slot.IDLE);
    }

    @Test
    void commandRemovedWhileItsJobRuns_marksItRevoked_andForgetsWhatWaited() {
        when(new CommandSeen(LOAD));
        when(new CommandSeen(DROP));
        assertThat(when(new CommandRemoved())).containsExactly(new MarkRevoked());
        assertThat(when(new JobDone(false, false))).isEmpty();
        assertThat(slot).isEqualTo(Slot.IDLE);
    }

    @Test
    void commandRemovedOnAnIdleItem_doesNothing() {
        assertThat(when(new CommandRemoved())).isEmpty();
    }

    @Test
    void newSession_idleHeldItem_isAnnouncedAgain() {
        assertThat(when(new NewSession(true))).containsExactly(new StartReannounce());
        assertThat(when(new NewSession(true))).isEmpty(); // already on it
        assertThat(when(new JobDone(true, true))).isEmpty();
    }

    @Test
    void newSession_itemNotHeld_nothingToAnnounce() {
        assertThat(when(new NewSession(false))).isEmpty();
    }

    @Test
    void newSession_busyItem_isAnnouncedAfterItsJob_unlessTheJobDroppedOrAnnouncedIt() {
        when(new CommandSeen(LOAD));
        assertThat(when(new NewSession(true))).isEmpty();
        assertThat(when(new JobDone(true, false))).containsExactly(new StartReannounce());

        slot = Slot.IDLE;
        when(new CommandSeen(DROP));
        when(new NewSession(true));
        assertThat(when(new JobDone(false, false))).as("dropped by the job").isEmpty();

        when(new CommandSeen(LOAD));
        when(new NewSession(true));
        assertThat(when(new JobDone(true, true))).as("announced by the job's own commit").isEmpty();
    }

    @Test
    void newSession_withACommandWaiting_announcesAfterBoth() {
        when(new CommandSeen(LOAD));
        when(new CommandSeen(DROP));
        when(new NewSession(true));
        assertThat(when(new JobDone(true, false))).containsExactly(new StartJob(DROP));
        assertThat(when(new JobDone(true, false))).containsExactly(new StartReannounce());
    }

    @Test
    void handlerRetries_backOffExponentially_untilTheAttemptsAreSpent_orTheLoadIsRevoked() {
        assertThat(ItemAgentMachine.retryDelayMs(1, 3, false, 100)).isEqualTo(100);
        assertThat(ItemAgentMachine.retryDelayMs(2, 3, false, 100)).isEqualTo(200);
        assertThat(ItemAgentMachine.retryDelayMs(3, 3, false, 100)).isEqualTo(-1);
        assertThat(ItemAgentMachine.retryDelayMs(1, 3, true, 100)).isEqualTo(-1);
        assertThat(ItemAgentMachine.retryDelayMs(40, 100, false, 1))
                .as("capped shift")
                .isEqualTo(1L << 20);
    }
}
