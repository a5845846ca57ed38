package io.drover.server.internal.http;

import io.drover.model.InvalidTaskException;
import io.drover.server.api.ErrorResponse;
import io.drover.server.api.SessionView;
import io.drover.server.api.SignInRequest;
import io.drover.server.auth.Role;
import io.drover.server.internal.auth.Caller;
import io.drover.server.internal.auth.HttpAuth;
import io.drover.server.internal.auth.PublicEndpoint;
import io.drover.server.internal.auth.Sessions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Arrays;
import java.util.List;

/**
 * {@code /v1/session}: the web console signs in with a token and gets a session cookie ({@link
 * Sessions}), because a browser's {@code EventSource} cannot send an {@code Authorization} header
 * and a page should not keep a token where scripts can read it. The cookie is {@code HttpOnly},
 * {@code SameSite=Strict}, {@code Path=/}, {@code Secure} over HTTPS, and lasts {@code
 * security.sessionTtl}. Signing in and out need no credentials; {@code GET} says who the caller is.
 */
@Path("/v1/session")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class SessionResource {
    private final Sessions sessions;

    /**
     * @param sessions null when the server has no authentication: there is nothing to sign in to
     */
    public SessionResource(Sessions sessions) {
        this.sessions = sessions;
    }

    @GET
    @RolesAllowed(Role.Name.READER)
    public SessionView get(@Context SecurityContext security, @Context HttpHeaders headers) {
        if (!(security.getUserPrincipal() instanceof Caller c)) {
            return new SessionView(
                    false,
                    null,
                    Arrays.stream(Role.values()).map(Role::wireName).toList(),
                    null,
                    null);
        }
        Cookie cookie = headers.getCookies().get(Sessions.COOKIE);
        Long expires =
                "session".equals(c.via()) && cookie != null
                        ? Sessions.expiresAtMs(cookie.getValue())
                        : null;
        return view(c, expires);
    }

    @POST
    @PublicEndpoint
    public Response signIn(SignInRequest body, @Context HttpServletRequest http) {
        if (sessions == null) {
            return Response.status(404)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(
                            new ErrorResponse(
                                    404,
                                    "not_found",
                                    "this server has no authentication (no"
                                            + " security.principalsFile): there is nothing to sign"
                                            + " in to",
                                    null,
                                    false))
                    .build();
        }
        if (body == null || body.token() == null || body.token().isBlank()) {
            throw new InvalidTaskException("token", "is required: {\"token\": \"drv_...\"}");
        }
        return sessions.open(body.token().strip())
                .map(
                        opened -> {
                            http.setAttribute(AuditLog.PRINCIPAL, opened.caller().name());
                            return Response.ok(view(opened.caller(), opened.expiresAtMs()))
                                    .header(
                                            HttpHeaders.SET_COOKIE,
                                            cookie(
                                                    opened.value(),
                                                    sessions.ttl().toSeconds(),
                                                    http.isSecure()))
                                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                                    .build();
                        })
                .orElseGet(
                        () ->
                                Response.status(401)
                                        .header(HttpHeaders.WWW_AUTHENTICATE, HttpAuth.challenge())
                                        .type(MediaType.APPLICATION_JSON_TYPE)
                                        .entity(
                                                new ErrorResponse(
                                                        401,
                                                        "unauthenticated",
                                                        "this server's principals file does not"
                                                                + " list that token",
                                                        null,
                                                        false))
                                        .build());
    }

    /** Ends the browser's session: the cookie is cleared. Idempotent; needs no credentials. */
    @DELETE
    @PublicEndpoint
    public Response signOut(@Context HttpServletRequest http) {
        return Response.noContent()
                .header(HttpHeaders.SET_COOKIE, cookie("", 0, http.isSecure()))
                .build();
    }

    /** A {@code Set-Cookie} value; {@code maxAgeSeconds} 0 deletes the cookie. */
    static String cookie(String value, long maxAgeSeconds, boolean secure) {
        return Sessions.COOKIE
                + "="
                + value
                + "; Path=/; Max-Age="
                + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    private static SessionView view(Caller c, Long expiresAtMs) {
        List<String> roles = c.roles().stream().map(Role::wireName).sorted().toList();
        return new SessionView(true, c.name(), roles, c.via(), expiresAtMs);
    }
}
