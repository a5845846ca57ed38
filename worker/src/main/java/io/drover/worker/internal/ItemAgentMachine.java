package io.drover.worker.internal;

import java.util.List;

/**
 * The item agent's rules for one item, as a pure function: what runs on the item now, what waits,
 * and what a new session means. No ZooKeeper, no threads ({@code ItemAgentMachineTest}); the {@link
 * ItemAgent} feeds it the item's events and runs the jobs it asks for.
 *
 * <ul>
 *   <li>at most one job per item; a different command that arrives meanwhile waits (only the newest
 *       one), the same command read again is ignored;
 *   <li>a command removed while its job runs marks the job revoked (its commit fails and, for a
 *       load, undoes it), and a command waiting behind it is forgotten;
 *   <li>a new session loses every {@code served} node: an item the handler still holds is announced
 *       again, after its running job if there is one (the job may well drop it).
 * </ul>
 */
final class ItemAgentMachine {
    private ItemAgentMachine() {}

    /**
     * What runs on one item: a command's job, an announcing job, or nothing; and what waits for it.
     */
    record Slot(
            ItemJob.Cmd job, boolean reannouncing, ItemJob.Cmd waiting, boolean reannounceAfter) {
        static final Slot IDLE = new Slot(null, false, null, false);

        boolean busy() {
            return job != null || reannouncing;
        }
    }

    sealed interface Event {}

    /**
     * A command in the item's queue node, as read (a failed one is our own report, waiting for the
     * leader).
     */
    record CommandSeen(ItemJob.Cmd cmd) implements Event {}

    record CommandRemoved() implements Event {}

    /**
     * The running job ended; whether the handler holds the item now, and whether this session
     * announces it.
     */
    record JobDone(boolean held, boolean announced) implements Event {}

    /**
     * The session changed: served nodes are gone; {@code held} says whether the handler holds the
     * item.
     */
    record NewSession(boolean held) implements Event {}

    sealed interface Action {}

    record StartJob(ItemJob.Cmd cmd) implements Action {}

    record StartReannounce() implements Action {}

    /** The running job's command is gone. */
    record MarkRevoked() implements Action {}

    record Step(Slot next, List<Action> actions) {}

    static Step on(Slot s, Event event) {
        if (event instanceof CommandSeen seen) {
            if (seen.cmd().command().isFailed()) {
                return new Step(s, List.of());
            }
            if (!s.busy()) {
                return start(seen.cmd(), false);
            }
            return seen.cmd().equals(s.job())
                    ? new Step(s, List.of())
                    : new Step(
                            new Slot(s.job(), s.reannouncing(), seen.cmd(), s.reannounceAfter()),
                            List.of());
        } else if (event instanceof CommandRemoved) {
            Slot next = new Slot(s.job(), s.reannouncing(), null, s.reannounceAfter());
            return new Step(next, s.job() != null ? List.of(new MarkRevoked()) : List.of());
        } else if (event instanceof JobDone done) {
            if (s.waiting() != null) {
                return start(s.waiting(), s.reannounceAfter());
            }
            if (s.reannounceAfter() && done.held() && !done.announced()) {
                return new Step(new Slot(null, true, null, false), List.of(new StartReannounce()));
            }
            return new Step(Slot.IDLE, List.of());
        } else if (event instanceof NewSession session) {
            if (!session.held()) {
                return new Step(s, List.of());
            }
            if (s.busy()) {
                return new Step(new Slot(s.job(), s.reannouncing(), s.waiting(), true), List.of());
            }
            return new Step(new Slot(null, true, null, false), List.of(new StartReannounce()));
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    /**
     * After a failed handler call: the delay before trying again (exponential from {@code
     * backoffMs}), or -1 when the job stops trying: the attempts are spent, or a load's command was
     * revoked.
     */
    static long retryDelayMs(int attempts, int maxAttempts, boolean loadRevoked, long backoffMs) {
        if (attempts >= maxAttempts || loadRevoked) {
            return -1;
        }
        return backoffMs << Math.min(attempts - 1, 20);
    }

    private static Step start(ItemJob.Cmd cmd, boolean reannounceAfter) {
        return new Step(new Slot(cmd, false, null, reannounceAfter), List.of(new StartJob(cmd)));
    }
}
