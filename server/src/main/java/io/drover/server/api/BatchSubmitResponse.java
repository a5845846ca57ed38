package io.drover.server.api;

import java.util.List;

/**
 * Per-task outcomes of a batch, in request order; {@code accepted} counts those created or already
 * present.
 */
public record BatchSubmitResponse(int accepted, int rejected, List<SubmitResponse> results) {}
