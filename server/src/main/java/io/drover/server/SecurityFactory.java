package io.drover.server;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code security:} section of a server's config file. See {@code docs/security.md}.
 *
 * <p>With a {@code principalsFile}, every request to the HTTP API and the admin port must carry a
 * bearer token or a client certificate that the file lists, with a role the endpoint needs. Without
 * one, the server has no authentication and so listens on loopback only: a connector without a
 * {@code bindHost} binds to 127.0.0.1, and one bound to any other address refuses to start, unless
 * {@code insecure: true} says that exposing it is on purpose (a container behind its own network,
 * say).
 */
public class SecurityFactory {
    /**
     * The principals file (tokens by SHA-256, client certificate subjects, and their roles); read
     * again when it changes. Null: no authentication.
     */
    @JsonProperty public String principalsFile;

    /**
     * How long a console session lasts once signed in with a token ({@code POST /v1/session}): 1
     * minute to 7 days.
     */
    @JsonProperty
    public io.dropwizard.util.Duration sessionTtl = io.dropwizard.util.Duration.hours(8);

    /**
     * A file whose content (at least 32 characters) signs session cookies, so that coordinators
     * sharing it accept each other's sessions and a restart keeps them. Null: a random key per
     * process, so a session is valid on the coordinator that issued it until it restarts.
     */
    @JsonProperty public String sessionKeyFile;

    /** Allow connectors on non-loopback addresses without authentication. */
    @JsonProperty public boolean insecure = false;

    /** Whether callers must authenticate. */
    public boolean authenticated() {
        return principalsFile != null && !principalsFile.isBlank();
    }
}
