package io.drover.server.api;

/**
 * The answer to submitting a graph, cancelling one or re-running one.
 *
 * @param tasks how many tasks were submitted, asked to cancel, or re-run
 * @param state the graph's state after it ({@code RUNNING} after a submission or a re-run)
 */
public record GraphActionResponse(String id, int tasks, String state) {}
