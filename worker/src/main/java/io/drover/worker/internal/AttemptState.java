package io.drover.worker.internal;

import io.drover.model.TaskState;
import io.drover.worker.TaskEvent;

/**
 * Where one attempt stands on this worker. Immutable; {@link AttemptMachine} moves it from one to
 * the next. Requests that arrive before they can be acted on (a cancel or a hand-back while the
 * claim is in flight) are carried as flags until the state that acts on them.
 */
sealed interface AttemptState {
    /** The claim multi is in flight. */
    record Claiming(boolean cancelRequested, boolean handBackRequested) implements AttemptState {}

    /** The claim landed; the spec is being read. The claim is ours, the handler not started. */
    record Starting(boolean cancelRequested, boolean handBackRequested) implements AttemptState {}

    /** The handler runs. Once a cancel is asked for, it is being stopped. */
    record Running(boolean cancelRequested) implements AttemptState {}

    /** Our terminal status or retry is being written; it settles the attempt. */
    record Committing() implements AttemptState {}

    /**
     * The task is being given back (or our claim dropped); the attempt ends as {@code kind} when it
     * is.
     */
    record HandingBack(TaskEvent.Kind kind, String detail) implements AttemptState {}

    /** Over on this worker (its handler may still be returning). */
    record Done(TaskEvent.Kind kind, TaskState state, String detail) implements AttemptState {}

    AttemptState CLAIMING = new Claiming(false, false);

    /** True while this attempt holds a claim it has not begun to give up or commit. */
    default boolean holdsClaim() {
        return this instanceof Starting || this instanceof Running;
    }
}
