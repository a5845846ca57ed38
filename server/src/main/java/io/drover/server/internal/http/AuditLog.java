package io.drover.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.drover.model.DroverJson;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: one JSON line on the logger {@code drover.audit} for every write through the API
 * (POST, PUT, DELETE: submit, cancel, drain, item put and delete, type policies), whatever its
 * outcome, and for every request refused for who made it or how much (401, 403, 429). Fields:
 * {@code time}, {@code principal} (the token's or certificate's name in the principals file, {@code
 * anonymous} on a server without authentication or before a caller proved who it is), {@code
 * action} (method and path), {@code outcome} (the HTTP status) and {@code remote} (the client's
 * address). Reads are not logged. The admin port's guard writes the same lines for its writes and
 * refusals. Route the logger to a file of its own in the server's {@code logging:} section (see
 * {@code docs/security.md}).
 */
public final class AuditLog implements ContainerResponseFilter {
    private static final Logger AUDIT = LoggerFactory.getLogger("drover.audit");
    private static final Set<String> WRITES = Set.of("POST", "PUT", "DELETE", "PATCH");
    private static final Set<Integer> DENIALS = Set.of(401, 403, 429);

    /**
     * A request attribute naming the principal when the request itself proves who it is without
     * authenticating the usual way: signing in to a console session.
     */
    public static final String PRINCIPAL = "drover.audit.principal";

    @Context private HttpServletRequest http;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!audited(request.getMethod(), response.getStatus())) {
            return;
        }
        record(
                principal(request),
                request.getMethod() + " /" + request.getUriInfo().getPath(),
                response.getStatus(),
                http == null ? null : http.getRemoteAddr());
    }

    /** Whether a request with this method and outcome is audited (on either port). */
    public static boolean audited(String method, int status) {
        return WRITES.contains(method) || DENIALS.contains(status);
    }

    /** Writes one line; the admin port's guard uses it too. */
    public static void record(String principal, String action, int outcome, String remote) {
        ObjectNode line = DroverJson.mapper().createObjectNode();
        line.put("time", Instant.now().toString());
        line.put("principal", principal);
        line.put("action", action);
        line.put("outcome", outcome);
        line.put("remote", remote);
        AUDIT.info("{}", line);
    }

    private static String principal(ContainerRequestContext request) {
        if (request.getProperty(PRINCIPAL) instanceof String named) {
            return named;
        }
        return request.getSecurityContext() != null
                        && request.getSecurityContext().getUserPrincipal() != null
                ? request.getSecurityContext().getUserPrincipal().getName()
                : "anonymous";
    }
}
