package io.drover.server.api;

/**
 * @param outcome REQUESTED (the worker takes nothing new and finishes what it runs) or
 *     ALREADY_DRAINING
 */
public record DrainResponse(String id, String outcome) {}
