package io.drover.server.api;

/** The body of {@code DELETE /v1/types/{type}}: the policy is gone. */
public record DeleteTypeResponse(String type, boolean deleted) {}
