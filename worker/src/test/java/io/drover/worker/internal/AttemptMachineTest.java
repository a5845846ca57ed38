package io.drover.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.TaskState;
import io.drover.worker.TaskEvent;
import io.drover.worker.internal.AttemptAction.ArmCancelGrace;
import io.drover.worker.internal.AttemptAction.CancelTimers;
import io.drover.worker.internal.AttemptAction.Commit;
import io.drover.worker.internal.AttemptAction.DropClaim;
import io.drover.worker.internal.AttemptAction.EmitStarted;
import io.drover.worker.internal.AttemptAction.Finish;
import io.drover.worker.internal.AttemptAction.HandBack;
import io.drover.worker.internal.AttemptAction.HandlerExited;
import io.drover.worker.internal.AttemptAction.ReadSpec;
import io.drover.worker.internal.AttemptAction.StartHandler;
import io.drover.worker.internal.AttemptAction.StopHandler;
import io.drover.worker.internal.AttemptEvent.Abandon;
import io.drover.worker.internal.AttemptEvent.CancelGraceExpired;
import io.drover.worker.internal.AttemptEvent.CancelRequested;
import io.drover.worker.internal.AttemptEvent.ClaimRejected;
import io.drover.worker.internal.AttemptEvent.ClaimSucceeded;
import io.drover.worker.internal.AttemptEvent.CommitSettled;
import io.drover.worker.internal.AttemptEvent.HandBackRequested;
import io.drover.worker.internal.AttemptEvent.HandBackSettled;
import io.drover.worker.internal.AttemptEvent.HandlerReturned;
import io.drover.worker.internal.AttemptEvent.SpecRead;
import io.drover.worker.internal.AttemptEvent.SpecUnreadable;
import io.drover.worker.internal.AttemptEvent.TimedOut;
import io.drover.worker.internal.AttemptState.Committing;
import io.drover.worker.internal.AttemptState.Done;
import io.drover.worker.internal.AttemptState.HandingBack;
import io.drover.worker.internal.AttemptState.Running;
import io.drover.worker.internal.AttemptState.Starting;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The attempt's life, transition by transition, with no ZooKeeper and no threads. */
class AttemptMachineTest {
    private static final Outcome SUCCESS = new Outcome(TaskState.SUCCEEDED, null, null, false);
    private static final Outcome BOOM = new Outcome(TaskState.FAILED, null, "boom", true);

    private AttemptState state = AttemptState.CLAIMING;
    private final List<AttemptAction> actions = new ArrayList<>();

    /** Applies events in order; collects every action. */
    private AttemptMachineTest given(AttemptEvent... events) {
        for (AttemptEvent e : events) {
            AttemptMachine.Step step = AttemptMachine.on(state, e);
            state = step.next();
            actions.addAll(step.actions());
        }
        return this;
    }

    /** The actions of one more event alone. */
    private List<AttemptAction> when(AttemptEvent event) {
        actions.clear();
        given(event);
        return List.copyOf(actions);
    }

    private AttemptMachineTest running() {
        return given(new ClaimSucceeded(), new SpecRead(null, 0));
    }

    private static Commit commitOf(List<AttemptAction> actions) {
        return (Commit) actions.stream().filter(a -> a instanceof Commit).findFirst().orElseThrow();
    }

    // ---- claim ----------------------------------------------------------------------------------

    @Test
    void claimLands_specIsRead() {
        assertThat(when(new ClaimSucceeded())).containsExactly(new ReadSpec());
        assertThat(state).isEqualTo(new Starting(false, false));
    }

    @Test
    void claimRejected_endsAbandoned_withNothingToGiveBack() {
        assertThat(when(new ClaimRejected("claim rejected: NoNode")))
                .containsExactly(
                        new Finish(TaskEvent.Kind.ABANDONED, null, "claim rejected: NoNode"));
        assertThat(state).isInstanceOf(Done.class);
    }

    @Test
    void specRead_handlerStartsWithItsTimeout_andListenersHearStarted() {
        given(new ClaimSucceeded());
        assertThat(when(new SpecRead(null, 5_000)))
                .containsExactly(new EmitStarted(), new StartHandler(5_000));
        assertThat(state).isEqualTo(new Running(false));
    }

    @Test
    void specMissingOrNoHandler_failsForGood_withoutRunning() {
        given(new ClaimSucceeded());
        List<AttemptAction> out = when(new SpecRead("task spec is missing", 0));
        assertThat(out)
                .startsWith(new EmitStarted())
                .doesNotHaveAnyElementsOfTypes(StartHandler.class);
        assertThat(commitOf(out).outcome())
                .isEqualTo(new Outcome(TaskState.FAILED, null, "task spec is missing", false));
        assertThat(state).isInstanceOf(Committing.class);
    }

    @Test
    void specUnreadable_theTaskIsGivenBack_andTheAttemptEndsAbandoned() {
        given(new ClaimSucceeded());
        assertThat(when(new SpecUnreadable("ConnectionLoss")))
                .containsExactly(new EmitStarted(), new HandBack());
        assertThat(when(new HandBackSettled(null)))
                .containsExactly(
                        new Finish(
                                TaskEvent.Kind.ABANDONED, null, "spec unreadable: ConnectionLoss"));
    }

    // ---- cancel ---------------------------------------------------------------------------------

    @Test
    void cancelDuringClaim_commitsCancelled_withoutStartingTheHandler() {
        given(new CancelRequested(100), new ClaimSucceeded());
        assertThat(state).isEqualTo(new Starting(true, false));
        List<AttemptAction> out = when(new SpecRead(null, 0));
        assertThat(out).doesNotHaveAnyElementsOfTypes(StartHandler.class);
        assertThat(commitOf(out).outcome().state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void cancelWhileRunning_stopsTheHandler_andArmsTheGrace_once() {
        running();
        assertThat(when(new CancelRequested(250)))
                .containsExactly(new StopHandler(), new ArmCancelGrace(250));
        assertThat(when(new CancelRequested(250))).isEmpty();
        assertThat(state).isEqualTo(new Running(true));
    }

    @Test
    void cancelledHandlerReturnsSuccess_stillCommitsCancelled() {
        running().given(new CancelRequested(250));
        List<AttemptAction> out = when(new HandlerReturned(SUCCESS));
        assertThat(out).startsWith(new HandlerExited());
        assertThat(commitOf(out).outcome())
                .isEqualTo(new Outcome(TaskState.CANCELLED, null, "cancelled", false));
    }

    @Test
    void cancelledHandlerIgnoresTheInterrupt_graceExpires_commitsCancelled() {
        running().given(new CancelRequested(250));
        Outcome outcome = commitOf(when(new CancelGraceExpired(250))).outcome();
        assertThat(outcome.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(outcome.error()).contains("did not stop within 250 ms");
        assertThat(when(new HandlerReturned(SUCCESS)))
                .containsExactly(new HandlerExited()); // late: only the thread is freed
    }

    @Test
    void timeoutAfterCancel_isNotARetry() {
        running().given(new CancelRequested(250));
        Outcome outcome = commitOf(when(new TimedOut(1_000))).outcome();
        assertThat(outcome.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(outcome.retryable()).isFalse();
        assertThat(outcome.error()).isEqualTo("cancelled (timed out after 1000 ms)");
    }

    @Test
    void cancelDuringCommit_changesNothing() {
        running().given(new HandlerReturned(SUCCESS));
        assertThat(when(new CancelRequested(250))).isEmpty();
        assertThat(state).isInstanceOf(Committing.class);
    }

    // ---- run, timeout, commit -------------------------------------------------------------------

    @Test
    void handlerReturns_itsThreadIsFreed_andItsOutcomeCommitted() {
        running();
        assertThat(when(new HandlerReturned(BOOM)))
                .containsExactly(new HandlerExited(), new CancelTimers(), new Commit(BOOM));
        assertThat(when(new CommitSettled(TaskEvent.Kind.COMMITTED, TaskState.PENDING, "boom")))
                .containsExactly(new Finish(TaskEvent.Kind.COMMITTED, TaskState.PENDING, "boom"));
        assertThat(state).isInstanceOf(Done.class);
    }

    @Test
    void commitRejected_finishes_andDropsTheClaim_soTheLeaderLooksAgain() {
        running().given(new HandlerReturned(SUCCESS));
        assertThat(when(new CommitSettled(TaskEvent.Kind.REJECTED, TaskState.SUCCEEDED, "stale")))
                .containsExactly(
                        new Finish(TaskEvent.Kind.REJECTED, TaskState.SUCCEEDED, "stale"),
                        new DropClaim());
        assertThat(state).isInstanceOf(Done.class);
    }

    @Test
    void timeout_stopsTheHandler_andCommitsARetryableFailure() {
        running();
        List<AttemptAction> out = when(new TimedOut(1_000));
        assertThat(out).startsWith(new StopHandler());
        assertThat(commitOf(out).outcome())
                .isEqualTo(new Outcome(TaskState.FAILED, null, "timed out after 1000 ms", true));
        assertThat(when(new HandlerReturned(SUCCESS)))
                .containsExactly(new HandlerExited()); // the timeout won
    }

    // ---- session, revoke, hand-back -------------------------------------------------------------

    @Test
    void sessionLostWhileRunning_endsAbandoned_withoutTouchingTheClaim() {
        running();
        assertThat(when(new Abandon("ZooKeeper session lost", true)))
                .containsExactly(
                        new CancelTimers(),
                        new StopHandler(),
                        new Finish(TaskEvent.Kind.ABANDONED, null, "ZooKeeper session lost"));
    }

    @Test
    void revokedWhileRunningOrStarting_dropsOurClaim() {
        running();
        assertThat(when(new Abandon("assignment revoked", false))).endsWith(new DropClaim());
        state = new Starting(false, false);
        assertThat(when(new Abandon("assignment revoked", false))).endsWith(new DropClaim());
    }

    @Test
    void abandonedWhileClaiming_thenTheClaimLands_itIsGivenBack_andTheAttemptEndsOnce() {
        assertThat(when(new Abandon("ZooKeeper session lost", true)))
                .hasSize(1)
                .first()
                .isInstanceOf(Finish.class);
        assertThat(when(new ClaimSucceeded())).containsExactly(new HandBack());
        assertThat(when(new HandBackSettled(null))).isEmpty();
    }

    @Test
    void handBackDuringClaim_givesItBackNotStarted() {
        given(new HandBackRequested());
        assertThat(when(new ClaimSucceeded())).containsExactly(new HandBack());
        assertThat(when(new HandBackSettled(null)))
                .containsExactly(new Finish(TaskEvent.Kind.HANDED_BACK, null, "not started"));
    }

    @Test
    void handBackWhileTheSpecIsRead_givesItBackNotStarted() {
        given(new ClaimSucceeded(), new HandBackRequested());
        assertThat(when(new SpecRead(null, 0))).containsExactly(new HandBack());
        assertThat(state).isEqualTo(new HandingBack(TaskEvent.Kind.HANDED_BACK, "not started"));
    }

    @Test
    void handBackWhileRunning_stopsTheHandler_andRequeuesTheSameAttempt() {
        running();
        assertThat(when(new HandBackRequested()))
                .containsExactly(new CancelTimers(), new StopHandler(), new HandBack());
        assertThat(when(new Abandon("ZooKeeper session lost", true)))
                .isEmpty(); // our write settles it
        assertThat(when(new HandBackSettled(null)))
                .containsExactly(new Finish(TaskEvent.Kind.HANDED_BACK, null, "worker stopping"));
    }

    @Test
    void handBackRejected_endsAbandoned_sayingWhy() {
        running().given(new HandBackRequested());
        assertThat(when(new HandBackSettled("BadVersion")))
                .containsExactly(
                        new Finish(
                                TaskEvent.Kind.ABANDONED, null, "hand-back rejected: BadVersion"));
    }

    @Test
    void handBackDuringCommit_waitsForTheCommit() {
        running().given(new HandlerReturned(SUCCESS));
        assertThat(when(new HandBackRequested())).isEmpty();
        assertThat(when(new Abandon("assignment revoked", false))).isEmpty();
        assertThat(state).isInstanceOf(Committing.class);
    }

    // ---- invariants over every short history ----------------------------------------------------

    @Test
    void everyHistory_endsTheAttemptAtMostOnce_andNeverRunsTheHandlerTwice() {
        List<AttemptEvent> alphabet =
                List.of(
                        new ClaimSucceeded(),
                        new ClaimRejected("x"),
                        new SpecRead(null, 10),
                        new SpecUnreadable("x"),
                        new HandlerReturned(BOOM),
                        new TimedOut(10),
                        new CancelRequested(10),
                        new CancelGraceExpired(10),
                        new HandBackRequested(),
                        new Abandon("x", false),
                        new Abandon("x", true),
                        new CommitSettled(TaskEvent.Kind.COMMITTED, TaskState.SUCCEEDED, null),
                        new HandBackSettled(null));
        int[] histories = {0};
        explore(AttemptState.CLAIMING, alphabet, 5, 0, 0, histories);
        assertThat(histories[0]).isGreaterThan(300_000);
    }

    private static void explore(
            AttemptState s,
            List<AttemptEvent> alphabet,
            int depth,
            int finishes,
            int starts,
            int[] histories) {
        histories[0]++;
        if (depth == 0) {
            return;
        }
        for (AttemptEvent e : alphabet) {
            AttemptMachine.Step step = AttemptMachine.on(s, e);
            int f =
                    finishes
                            + (int)
                                    step.actions().stream()
                                            .filter(a -> a instanceof Finish)
                                            .count();
            int h =
                    starts
                            + (int)
                                    step.actions().stream()
                                            .filter(a -> a instanceof StartHandler)
                                            .count();
            assertThat(f).as("Finish actions after %s in %s", e, s).isLessThanOrEqualTo(1);
            assertThat(h).as("handler starts after %s in %s", e, s).isLessThanOrEqualTo(1);
            if (step.next() instanceof Done) {
                assertThat(f)
                        .as("a Done state is reached by a Finish (%s in %s)", e, s)
                        .isEqualTo(1);
            }
            explore(step.next(), alphabet, depth - 1, f, h, histories);
        }
    }
}
