package io.drover.coordinator.internal;

/**
 * How a new term comes up, in two steps. Once the workers and the type policies are read in full
 * (and the assignments rebuilt from them), the leader may dispatch what it has read of the pending
 * folder: a task submitted during a leader change then runs without waiting for a deep backlog to
 * be read (about 5 s for 100,000 pending tasks); the listing is read from both ends of its key
 * order ({@code ListingLoad}), the oldest and the newest first. The term is ready once the pending
 * folder is read in full too: what needs the whole index (cancellations, dependencies, fail-fast,
 * broadcasts, the slow pass) starts then. Pure state; the leader's thread only.
 */
final class TermStartup {
    /** What may start after a source was read: dispatch, readiness, both or neither. */
    record Step(boolean dispatch, boolean ready) {
        static final Step NONE = new Step(false, false);
    }

    private final int viewSources;
    private int viewRead;
    private boolean pendingRead;
    private boolean dispatching;
    private boolean ready;

    /**
     * @param viewSources how many sources the view needs before dispatch (workers, type policies)
     */
    TermStartup(int viewSources) {
        this.viewSources = viewSources;
    }

    /** One source of the view was read in full. */
    Step viewSourceRead() {
        if (dispatching || ++viewRead < viewSources) {
            return Step.NONE;
        }
        dispatching = true;
        return new Step(true, becameReady());
    }

    /** The pending folder was read in full. */
    Step pendingRead() {
        pendingRead = true;
        return new Step(false, becameReady());
    }

    private boolean becameReady() {
        if (ready || !dispatching || !pendingRead) {
            return false;
        }
        ready = true;
        return true;
    }

    /** Whether plain dispatch may run: the view is rebuilt. */
    boolean dispatching() {
        return dispatching;
    }
}
