package io.drover.coordinator;

/** How the leader chooses among capable workers with free capacity. */
public enum AssignmentStrategy {
    /**
     * The worker with the most free slots (Druid's {@code equalDistribution}): spreads load. The
     * default.
     */
    EQUAL_DISTRIBUTION,
    /**
     * The worker with the fewest free slots that still has one: fills workers one by one, leaving
     * others idle.
     */
    FILL_CAPACITY
}
