package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A page of {@code GET /v1/graphs}, by id; pass {@code nextPageToken} back as {@code pageToken} for
 * the next one (absent on the last page).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GraphList(List<GraphView> graphs, String nextPageToken) {}
