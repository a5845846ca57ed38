package io.drover.server.api;

import java.util.List;

/**
 * The body of {@code GET /v1/types}: every type that has a policy, a breaker state or tasks not yet
 * ended, sorted by type.
 */
public record TypeList(List<TypeView> types) {}
