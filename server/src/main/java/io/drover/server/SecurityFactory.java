package io.drover.server;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code security:} section of a server's config file.
 *
 * <p>Drover's HTTP API and admin port have no authentication yet, so a server listens on loopback
 * only: a connector without a {@code bindHost} binds to 127.0.0.1, and one bound to any other
 * address refuses to start, unless {@code insecure: true} says that exposing them is on purpose (a
 * container behind its own network, say). See {@code docs/security.md}.
 */
public class SecurityFactory {
    /** Allow connectors on non-loopback addresses without authentication. */
    @JsonProperty public boolean insecure = false;
}
