package io.drover.model;

/**
 * A graph with this id exists already, or the graph is in no state for what was asked (a re-run of
 * a graph that still runs). Not retryable as such; the API answers 409.
 */
public class GraphConflictException extends TaskConflictException {
    private static final long serialVersionUID = 1L;

    public GraphConflictException(String message) {
        super(message, false);
    }
}
