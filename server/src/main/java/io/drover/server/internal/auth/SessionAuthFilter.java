package io.drover.server.internal.auth;

import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;

/**
 * Authenticates a request by its console session cookie ({@link Sessions}), for browsers: an {@code
 * EventSource} cannot send an {@code Authorization} header, and a page should not keep a token
 * where its scripts can read it.
 */
@Priority(Priorities.AUTHENTICATION)
final class SessionAuthFilter extends AuthFilter<String, Caller> {
    /** The scheme {@code SecurityContext.getAuthenticationScheme()} reports. */
    static final String SCHEME = "SESSION";

    @Override
    public void filter(ContainerRequestContext request) {
        Cookie cookie = request.getCookies().get(Sessions.COOKIE);
        if (!authenticate(request, cookie == null ? null : cookie.getValue(), SCHEME)) {
            throw unauthorizedHandler.buildException(prefix, realm);
        }
    }

    static final class Builder extends AuthFilterBuilder<String, Caller, SessionAuthFilter> {
        @Override
        protected SessionAuthFilter newInstance() {
            return new SessionAuthFilter();
        }
    }
}
