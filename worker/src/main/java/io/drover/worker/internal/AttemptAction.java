package io.drover.worker.internal;

import io.drover.model.TaskState;
import io.drover.worker.TaskEvent;

/** What the runner ({@link AttemptFlow}) does for a transition, in the order given. */
sealed interface AttemptAction {
    /**
     * Read the task's spec, answered by {@link AttemptEvent.SpecRead} or {@link
     * AttemptEvent.SpecUnreadable}.
     */
    record ReadSpec() implements AttemptAction {}

    /** Tell listeners the attempt started. */
    record EmitStarted() implements AttemptAction {}

    /** Start the handler, and its timeout if {@code timeoutMs > 0}. */
    record StartHandler(long timeoutMs) implements AttemptAction {}

    /** Ask the handler to stop: the flag it polls, and an interrupt. */
    record StopHandler() implements AttemptAction {}

    record ArmCancelGrace(long graceMs) implements AttemptAction {}

    record CancelTimers() implements AttemptAction {}

    /**
     * Write the outcome (after any progress write in flight), answered by {@link
     * AttemptEvent.CommitSettled}.
     */
    record Commit(Outcome outcome) implements AttemptAction {}

    /**
     * Give the task back at the same attempt (after any progress write in flight), or drop our
     * claim if there is nothing to give back; answered by {@link AttemptEvent.HandBackSettled}.
     */
    record HandBack() implements AttemptAction {}

    /** Delete our claim if our live session still holds it; nobody waits for the answer. */
    record DropClaim() implements AttemptAction {}

    /**
     * The attempt is over on this worker: free its slot (once the handler returns) and tell
     * listeners.
     */
    record Finish(TaskEvent.Kind kind, TaskState state, String detail) implements AttemptAction {}

    /** The handler's pool thread is free. */
    record HandlerExited() implements AttemptAction {}
}
