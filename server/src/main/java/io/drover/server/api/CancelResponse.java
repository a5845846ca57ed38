package io.drover.server.api;

/**
 * @param outcome REQUESTED (the leader or the running worker carries it out) or ALREADY_TERMINAL
 *     (nothing to do)
 * @param state the task's state when the request was made
 */
public record CancelResponse(String id, String outcome, String state) {}
