package io.drover.model;

/** No graph with this id exists (never submitted, abandoned, or deleted after its retention). */
public class GraphNotFoundException extends TaskNotFoundException {
    private static final long serialVersionUID = 1L;

    public GraphNotFoundException(String graphId) {
        super("no graph with id " + graphId, false);
    }
}
