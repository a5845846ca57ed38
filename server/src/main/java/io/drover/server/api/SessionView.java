package io.drover.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Who the caller is, as {@code GET} and {@code POST /v1/session} answer it: what the console needs
 * to know whether to ask for a token and which buttons to offer.
 *
 * @param authentication whether this server authenticates callers; false: anyone reaching it may do
 *     everything, and there is nothing to sign in to
 * @param name the principal's name in the principals file; absent without authentication
 * @param roles the caller's roles, lower case (every role without authentication)
 * @param via {@code token}, {@code certificate} or {@code session}; absent without authentication
 * @param expiresAtMs when the caller's console session ends; absent unless {@code via} is {@code
 *     session}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionView(
        boolean authentication, String name, List<String> roles, String via, Long expiresAtMs) {}
