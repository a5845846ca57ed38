package io.drover.server.api;

import java.util.List;

/**
 * The body of {@code POST /v1/graphs}: the graph's tasks, whose {@code dependsOn} name tasks of the
 * graph (by their {@code id}) or tasks submitted before it.
 *
 * @param id the graph's id; a random one when left out
 */
public record GraphSubmitRequest(String id, List<SubmitRequest> tasks) {}
