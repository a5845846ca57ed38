package io.drover.server.api;

/**
 * The body of a successful {@code DELETE /v1/items/{id}}; the leader then drops the item
 * everywhere.
 *
 * @param deleted always true (a missing item is a 404)
 */
public record DeleteItemResponse(String id, boolean deleted) {}
