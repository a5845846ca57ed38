package io.drover.worker.internal;

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
import io.drover.worker.internal.AttemptState.Claiming;
import io.drover.worker.internal.AttemptState.Committing;
import io.drover.worker.internal.AttemptState.Done;
import io.drover.worker.internal.AttemptState.HandingBack;
import io.drover.worker.internal.AttemptState.Running;
import io.drover.worker.internal.AttemptState.Starting;
import java.util.List;

/**
 * The life of one attempt on a worker, as a pure function: a state and an event in, the next state
 * and the actions to take out. No ZooKeeper, no threads, no clock, so every transition is a plain
 * unit test ({@code AttemptMachineTest}); {@link AttemptFlow} runs the actions.
 *
 * <p>The rules that matter:
 *
 * <ul>
 *   <li>exactly one {@link Finish} per attempt; after it, events are ignored, except that a claim
 *       landing late (the attempt was abandoned while it was in flight) is given back, and a
 *       handler returning late frees its thread;
 *   <li>once a cancel is asked for, whatever ends the attempt commits CANCELLED, never a retry;
 *   <li>a write of our own in flight (commit, hand-back) settles the attempt: abandoning or handing
 *       back then changes nothing;
 *   <li>an attempt abandoned with its session alive drops its claim, or the task would stay RUNNING
 *       with nobody on it.
 * </ul>
 */
final class AttemptMachine {
    /** The next state and what to do to get there. */
    record Step(AttemptState next, List<AttemptAction> actions) {}

    private AttemptMachine() {}

    static Step on(AttemptState state, AttemptEvent event) {
        if (event instanceof HandlerReturned returned) {
            return handlerReturned(state, returned);
        }
        if (state instanceof Claiming c) {
            return claiming(c, event);
        } else if (state instanceof Starting s) {
            return starting(s, event);
        } else if (state instanceof Running r) {
            return running(r, event);
        } else if (state instanceof Committing) {
            if (!(event instanceof CommitSettled s)) {
                return stay(state);
            }
            // A rejected commit met a status this attempt did not expect. A genuine move (the
            // leader's recovery) leaves no claim of ours behind; a status someone else wrote does,
            // and the leader looks again at an assignment only once its claim is gone.
            return s.kind() == TaskEvent.Kind.REJECTED
                    ? new Step(
                            new Done(s.kind(), s.state(), s.detail()),
                            List.of(new Finish(s.kind(), s.state(), s.detail()), new DropClaim()))
                    : finish(s.kind(), s.state(), s.detail());
        } else if (state instanceof HandingBack h) {
            return event instanceof HandBackSettled s ? handedBack(h, s) : stay(state);
        }
        // Done. Abandoned while claiming, yet the claim landed: give it back.
        return event instanceof ClaimSucceeded
                ? new Step(state, List.of(new HandBack()))
                : stay(state);
    }

    private static Step claiming(Claiming c, AttemptEvent event) {
        if (event instanceof ClaimSucceeded) {
            return c.handBackRequested()
                    ? handBack(TaskEvent.Kind.HANDED_BACK, "not started")
                    : new Step(new Starting(c.cancelRequested(), false), List.of(new ReadSpec()));
        } else if (event instanceof ClaimRejected r) {
            return finish(TaskEvent.Kind.ABANDONED, null, r.why());
        } else if (event instanceof CancelRequested) {
            return new Step(new Claiming(true, c.handBackRequested()), List.of());
        } else if (event instanceof HandBackRequested) {
            return new Step(new Claiming(c.cancelRequested(), true), List.of());
        } else if (event instanceof Abandon a) {
            return finish(
                    TaskEvent.Kind.ABANDONED, null, a.why()); // a claim landing later is given back
        }
        return stay(c);
    }

    private static Step starting(Starting s, AttemptEvent event) {
        if (event instanceof SpecUnreadable u) {
            return s.handBackRequested()
                    ? handBack(TaskEvent.Kind.HANDED_BACK, "not started")
                    : handBack(
                            TaskEvent.Kind.ABANDONED,
                            "spec unreadable: " + u.why(),
                            new EmitStarted());
        } else if (event instanceof SpecRead r) {
            return specRead(s, r);
        } else if (event instanceof CancelRequested) {
            return new Step(new Starting(true, s.handBackRequested()), List.of());
        } else if (event instanceof HandBackRequested) {
            return new Step(new Starting(s.cancelRequested(), true), List.of());
        } else if (event instanceof Abandon a) {
            return abandon(a);
        }
        return stay(s);
    }

    private static Step specRead(Starting s, SpecRead r) {
        if (s.handBackRequested()) {
            return handBack(TaskEvent.Kind.HANDED_BACK, "not started");
        }
        if (s.cancelRequested()) {
            return commit(
                    false,
                    new Outcome(TaskState.CANCELLED, null, "cancelled before it started", false),
                    new EmitStarted());
        }
        if (r.problem() != null) {
            return commit(
                    false,
                    new Outcome(TaskState.FAILED, null, r.problem(), false),
                    new EmitStarted());
        }
        return new Step(
                new Running(false), List.of(new EmitStarted(), new StartHandler(r.timeoutMs())));
    }

    private static Step running(Running r, AttemptEvent event) {
        if (event instanceof TimedOut t) {
            return commit(
                    r.cancelRequested(),
                    new Outcome(
                            TaskState.FAILED,
                            null,
                            "timed out after " + t.timeoutMs() + " ms",
                            true),
                    new StopHandler());
        } else if (event instanceof CancelRequested c) {
            return r.cancelRequested()
                    ? stay(r)
                    : new Step(
                            new Running(true),
                            List.of(new StopHandler(), new ArmCancelGrace(c.graceMs())));
        } else if (event instanceof CancelGraceExpired g) {
            return r.cancelRequested()
                    ? commit(
                            false,
                            new Outcome(
                                    TaskState.CANCELLED,
                                    null,
                                    "cancelled; the handler did not stop within "
                                            + g.graceMs()
                                            + " ms",
                                    false))
                    : stay(r);
        } else if (event instanceof HandBackRequested) {
            return handBack(
                    TaskEvent.Kind.HANDED_BACK,
                    "worker stopping",
                    new CancelTimers(),
                    new StopHandler());
        } else if (event instanceof Abandon a) {
            return abandon(a);
        }
        return stay(r);
    }

    private static Step handlerReturned(AttemptState state, HandlerReturned returned) {
        if (state instanceof Running r) {
            // Once cancellation was asked for, what the handler returns is not trusted as complete.
            Outcome outcome =
                    r.cancelRequested()
                            ? new Outcome(TaskState.CANCELLED, null, "cancelled", false)
                            : returned.outcome();
            return commit(false, outcome, new HandlerExited());
        }
        return new Step(state, List.of(new HandlerExited()));
    }

    private static Step abandon(Abandon a) {
        List<AttemptAction> actions =
                a.sessionLost()
                        ? List.of(
                                new CancelTimers(),
                                new StopHandler(),
                                new Finish(TaskEvent.Kind.ABANDONED, null, a.why()))
                        : List.of(
                                new CancelTimers(),
                                new StopHandler(),
                                new Finish(TaskEvent.Kind.ABANDONED, null, a.why()),
                                new DropClaim());
        return new Step(new Done(TaskEvent.Kind.ABANDONED, null, a.why()), actions);
    }

    /**
     * Commits {@code outcome}, or CANCELLED if a cancel was asked for: a timeout or failure then
     * must not become a retry.
     */
    private static Step commit(boolean cancelRequested, Outcome outcome, AttemptAction... before) {
        Outcome last =
                cancelRequested && outcome.state() != TaskState.CANCELLED
                        ? new Outcome(
                                TaskState.CANCELLED,
                                null,
                                "cancelled ("
                                        + (outcome.error() == null
                                                ? "handler returned"
                                                : outcome.error())
                                        + ")",
                                false)
                        : outcome;
        return new Step(new Committing(), concat(before, new CancelTimers(), new Commit(last)));
    }

    private static Step handBack(TaskEvent.Kind kind, String detail, AttemptAction... before) {
        return new Step(new HandingBack(kind, detail), concat(before, new HandBack()));
    }

    private static Step handedBack(HandingBack h, HandBackSettled s) {
        return s.failure() == null
                ? finish(h.kind(), null, h.detail())
                : finish(TaskEvent.Kind.ABANDONED, null, "hand-back rejected: " + s.failure());
    }

    private static Step finish(TaskEvent.Kind kind, TaskState state, String detail) {
        return new Step(new Done(kind, state, detail), List.of(new Finish(kind, state, detail)));
    }

    private static Step stay(AttemptState state) {
        return new Step(state, List.of());
    }

    private static List<AttemptAction> concat(AttemptAction[] before, AttemptAction... after) {
        AttemptAction[] all = java.util.Arrays.copyOf(before, before.length + after.length);
        System.arraycopy(after, 0, all, before.length, after.length);
        return List.of(all);
    }
}
