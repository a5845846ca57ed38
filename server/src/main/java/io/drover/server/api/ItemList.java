package io.drover.server.api;

import java.util.List;

/** The body of {@code GET /v1/items}, sorted by id. */
public record ItemList(List<ItemView> items) {}
