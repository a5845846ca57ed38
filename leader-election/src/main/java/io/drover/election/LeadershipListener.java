package io.drover.election;

/**
 * Hears about terms. Both methods run on the election's own thread, in order, never concurrently
 * and never on the ZooKeeper event thread; they may block briefly but a long block delays the next
 * term.
 */
public interface LeadershipListener {
    void termStarted(LeadershipTerm term);

    void termEnded(LeadershipTerm term, String reason);
}
